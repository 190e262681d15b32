using System.Diagnostics;
using ReleaseCli.Core;
using ReleaseCli.Core.Identity;

namespace ReleaseCli.Integrations.Identity;

/// <summary>The embedded default: the person is <c>git config user.email</c>.</summary>
public sealed class GitIdentityProvider : IIdentityProvider
{
    public const string ProviderName = "git";

    public async Task<Actor> GetCurrentActorAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git", ["config", "user.email"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string email;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
            email = (await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw ReleaseException.Usage("Cannot tell who you are: git is not installed, and the identity comes from `git config user.email`. Install git or run under Azure Pipelines.");
        }

        if (email.Length == 0)
        {
            throw ReleaseException.Usage("Cannot tell who you are: `git config user.email` is empty. Set it with `git config --global user.email you@example.com`.");
        }

        return new Actor(email, ProviderName);
    }
}
