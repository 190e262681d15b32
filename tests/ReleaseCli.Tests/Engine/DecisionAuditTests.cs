using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Engine;

/// <summary>
/// Decisions appended to the ledger by hand, with a valid chain and head: the tool would have refused each of
/// them, so none counts and every reader stops with exit 5 naming the line.
/// </summary>
public sealed class DecisionAuditTests
{
    private const string FailingStep = """, { "id": "a", "kind": "scripted" }""";

    private const string Gates = """{ "id": "steps", "kind": "steps-succeeded" }, { "id": "ok", "kind": "approval", "approvers": ["group:team"] }""";

    [Fact]
    public async Task An_override_by_someone_who_is_not_an_overrider_appended_by_hand_is_not_obeyed()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(FailingStep));
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep", actor: "bob@x.com")).ExitCode);

        // carol is not an overrider of prep; the line is chained and the head moved, as the tool would.
        var line = await AppendByHandAsync(harness, StepOverride("carol@x.com", (await harness.StateAsync()).ContractDigest, "nobody will notice this one"));

        var refused = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep", actor: "bob@x.com"));
        Assert.Equal(ExitCode.IntegrityViolation, refused.ExitCode);
        Assert.Equal(line, refused.Line);
        Assert.Contains($"line {line}: an override of prep/step:a by carol@x.com that the tool would have refused to write", refused.Message);
        Assert.Contains("carol@x.com (identity from test) may not override prep/step:a. Overriders: alice@x.com", refused.Message);
        Assert.Equal(1, harness.Script.Runs("a"));

        // Nobody can decide on top of it either.
        harness.Identity.Current = "alice@x.com";
        await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), "known failure, tracked in bug 123", CancellationToken.None));
    }

    [Fact]
    public async Task An_approval_by_someone_who_is_not_an_approver_appended_by_hand_is_reported()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: Gates));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep")).ExitCode);
        var line = await AppendByHandAsync(harness, Approval("mallory@x.com", (await harness.StateAsync()).ContractDigest));

        var refused = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep"));
        Assert.Equal(line, refused.Line);
        Assert.Contains("mallory@x.com (identity from test) may not approve prep/ok. Who may: bob@x.com, carol@x.com", refused.Message);
    }

    [Fact]
    public async Task An_approval_by_the_ring_runner_appended_by_hand_is_reported()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(prepGates: Gates));
        Assert.Equal(ExitCode.Pending, (await harness.RunAsync("prep", actor: "bob@x.com")).ExitCode);
        var line = await AppendByHandAsync(harness, Approval("bob@x.com", (await harness.StateAsync()).ContractDigest));

        var refused = await Assert.ThrowsAsync<LedgerIntegrityException>(() => harness.RunAsync("prep", actor: "carol@x.com"));
        Assert.Equal(line, refused.Line);
        Assert.Contains("self-approval is refused", refused.Message);
    }

    [Fact]
    public async Task Decisions_the_tool_wrote_pass_the_audit()
    {
        using var harness = await EngineHarness.CreateAsync(EngineHarness.DefinitionJson(FailingStep, Gates));
        harness.Script.Failing.Add("a");
        Assert.Equal(ExitCode.Failed, (await harness.RunAsync("prep", actor: "bob@x.com")).ExitCode);
        harness.Identity.Current = "alice@x.com";
        await harness.Decisions.OverrideAsync(harness.Environment, "prep", OverrideTarget.ForStep("a"), "known failure, tracked in bug 123", CancellationToken.None);
        harness.Identity.Current = "carol@x.com";
        await harness.Decisions.ApproveAsync(harness.Environment, "prep", "ok", null, "looks good", CancellationToken.None);

        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep", actor: "bob@x.com")).ExitCode);
        Assert.Null(DecisionAudit.FirstRefused(harness.Definition, (await harness.StateAsync()).Events));
    }

    /// <summary>An approval of prep/ok as the tool would record it.</summary>
    internal static LedgerEvent Approval(string actor, string? contractDigest) => new()
    {
        Type = LedgerEventType.Approved,
        Ring = "prep",
        Gate = "ok",
        Actor = actor,
        IdentityProvider = "test",
        ContractDigest = contractDigest,
    };

    /// <summary>An override of prep's step a as the tool would record it.</summary>
    internal static LedgerEvent StepOverride(string actor, string? contractDigest, string justification) => new()
    {
        Type = LedgerEventType.Overridden,
        Ring = "prep",
        Target = OverrideTarget.ForStep("a"),
        Step = "a",
        Actor = actor,
        IdentityProvider = "test",
        ContractDigest = contractDigest,
        Justification = justification,
    };

    /// <summary>Appends a line the way an attacker with write access to the folder can: chained, with the head moved.</summary>
    internal static async Task<int> AppendByHandAsync(EngineHarness harness, LedgerEvent entry)
    {
        var writer = await LedgerWriter.OpenAsync(harness.Store, "r1", harness.Time, CancellationToken.None);
        return (await writer.AppendAsync(entry, CancellationToken.None)).Seq;
    }
}
