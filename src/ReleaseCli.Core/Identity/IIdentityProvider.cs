namespace ReleaseCli.Core.Identity;

/// <summary>Says who is running the verb; the ledger records the answer and the provider.</summary>
public interface IIdentityProvider
{
    Task<Actor> GetCurrentActorAsync(CancellationToken cancellationToken);
}
