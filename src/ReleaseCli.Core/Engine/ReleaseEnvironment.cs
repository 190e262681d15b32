using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Store;
using ReleaseCli.Core.Trust;

namespace ReleaseCli.Core.Engine;

/// <summary>A loaded definition with the BAR and the store it names.</summary>
public sealed record ReleaseEnvironment(ReleaseDefinition Definition, IBuildAssetRegistry Bar, IReleaseStore Store)
{
    /// <summary>The loaded definition; a copy made with another one reads that one's allowed signers afresh.</summary>
    public ReleaseDefinition Definition
    {
        get;
        init
        {
            field = value;
            _trust = null;
        }
    } = Definition;

    public string ReleaseId => Definition.ReleaseId;

    private readonly SecretMasker? _masker;

    /// <summary>
    /// The secrets of this process: masked in everything written to the store (ledger, contract, findings, SARIF,
    /// text artifacts), as on the console. Setting it puts the store behind a <see cref="MaskingReleaseStore"/>.
    /// </summary>
    public SecretMasker? Masker
    {
        get => _masker;
        init
        {
            _masker = value;
            if (value is not null && Store is not MaskingReleaseStore)
            {
                Store = new MaskingReleaseStore(Store, value);
            }
        }
    }

    /// <summary>The private key file passed with --signing-key (null: ssh-agent, when SSH_AUTH_SOCK names one).</summary>
    public string? SigningKeyPath { get; init; }

    /// <summary>The release's signature rules and allowed signers, read from the definition on first use.</summary>
    public LedgerTrust Trust => _trust ??= LedgerTrust.For(Definition);

    private LedgerTrust? _trust;

    public string DropPath => Definition.DropPath is { } drop
        ? Definition.ResolvePath(drop)
        : Path.Combine(Definition.ResolvePath(Definition.Store.Path), Definition.ReleaseId, "drop");
}
