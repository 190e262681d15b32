namespace ReleaseCli.Core.Signing;

/// <summary>
/// An external signing service: a request carries files and the kind of signature wanted, is accepted with an id,
/// is polled by that id until it succeeded or failed, and its signed results are downloaded one by one.
/// </summary>
public interface ISigningServiceClient
{
    /// <summary>Which service and which token variable, for messages: never the token.</summary>
    string Description { get; }

    /// <summary>Sends the files; returns the id the service accepted the request under.</summary>
    Task<string> SubmitAsync(SignRequest request, CancellationToken cancellationToken);

    /// <summary>What the service says about the request now.</summary>
    Task<SignRequestStatus> GetStatusAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Downloads one signed result into <paramref name="destinationPath"/> (a file the caller owns).</summary>
    Task DownloadAsync(SignedFile file, string destinationPath, CancellationToken cancellationToken);
}
