using System.CommandLine;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

/// <summary>Options every verb takes.</summary>
public static class CommonOptions
{
    public static readonly Option<FileInfo> Definition = new("--definition", "-d")
    {
        Description = "The release definition (release.json). Default: release.json in the current folder.",
        DefaultValueFactory = _ => new FileInfo("release.json"),
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Output = new("--output", "-o")
    {
        Description = "text (tables on a terminal, plain lines otherwise) or json (one JSON document on stdout; logs stay on stderr).",
        DefaultValueFactory = _ => OutputFormat.Text,
        CustomParser = OptionParsers.OutputFormat,
        HelpName = "text|json",
        Recursive = true,
    };

    public static readonly Option<string> Verbosity = new("--verbosity", "-v")
    {
        Description = "How much to log on stderr: quiet, minimal, normal, detailed or diagnostic.",
        DefaultValueFactory = _ => "minimal",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> LogFile = new("--log-file")
    {
        Description = "Also write the log as JSON lines to this file, at the level --verbosity sets (minimal by default: warnings and errors).",
        Recursive = true,
    };

    /// <summary>The key that signs decisions and ring runs; without it, ssh-agent (SSH_AUTH_SOCK) is asked.</summary>
    public static readonly Option<FileInfo?> SigningKey = new("--signing-key")
    {
        Description = "The OpenSSH private key (unencrypted, e.g. ~/.ssh/id_ed25519) that signs what you record, checked against the definition's identity.allowedSigners. Default: a key of yours in ssh-agent (SSH_AUTH_SOCK); a key with a passphrase belongs there.",
        HelpName = "file",
    };

    public static readonly Option<string?> BarUri = new("--bar-uri")
    {
        Description = "Talk to Maestro at this base address instead of the BAR in the release definition (the token comes from $.bar.tokenVariable, $.bar.tokenScope, or MAESTRO_TOKEN).",
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Use this store instead of the one in the release definition: a blob container URL (https://<account>.blob.core.windows.net/<container>[/<prefix>], credentials as for $.store) or a local folder.",
        HelpName = "url|folder",
    };

    static CommonOptions()
    {
        Verbosity.AcceptOnlyFromAmong("quiet", "q", "minimal", "m", "normal", "n", "detailed", "d", "diagnostic", "diag");
    }

    /// <summary>
    /// The help text of a ring verb: what the ring is for, then the step and gate kinds this build of the tool
    /// has for it (from the catalogues, so the help never lists a step that does not exist).
    /// </summary>
    public static string RingHelp(string ring, IEnumerable<StepKindDescriptor> stepKinds, IEnumerable<IGateCheck> gateKinds)
    {
        var purpose = ring switch
        {
            "prep" => "Prep ring: gather the candidate into the drop and seal the contract.",
            "validate-source" => "Source Validation ring: validation of the candidate's sources, repository by repository.",
            "validate-build" => "Build Validation ring: validation of the candidate's built files.",
            "stage" => "Staging ring: make the release's files from the sealed drop.",
            "publish" => "Publish ring: put the release where customers get it; the builds are marked released only when publish steps ran and all succeeded.",
            _ => ring,
        };
        var steps = stepKinds.Where(k => k.Rings is null || k.Rings.Contains(ring)).Select(k => k.Kind).Order(StringComparer.Ordinal).ToList();
        var gates = gateKinds.Where(g => g.Rings is null || g.Rings.Contains(ring)).Select(g => g.Kind).Order(StringComparer.Ordinal);
        return $"{purpose} Runs the ring's steps from the release definition, evaluates its gates and promotes the build to the ring's target channel when every gate passes. " +
            $"Step kinds for this ring: {(steps.Count == 0 ? "none yet (the ring runs only its gates)" : string.Join(", ", steps))}. Gate kinds: {string.Join(", ", gates)}.";
    }

    /// <summary>The exit codes, stated once: in <c>release --help</c> (README "Exit codes" says the same).</summary>
    public static readonly string ExitCodesHelp = string.Join(
        Environment.NewLine,
        "Exit codes:",
        "  0    promoted, or the verb did what was asked",
        "  1    a step, an entry check or a gate failed",
        "  2    usage or release-definition error, or a request the definition does not allow;",
        "       also a step refused for a setting or a credential to fix (a token a service refused)",
        "  3    pending: waiting for an approval, a sign-off or an external run",
        "  4    locked: another run holds the release",
        "  5    integrity violation: the ledger, the contract or the drop was tampered with",
        "  130  cancelled by Ctrl+C (SIGINT); everything recorded so far is kept",
        "  143  stopped by SIGTERM; everything recorded so far is kept");
}
