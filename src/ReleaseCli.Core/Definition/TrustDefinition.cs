using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseCli.Core.Trust;

namespace ReleaseCli.Core.Definition;

/// <summary>
/// The part of a release definition that says who may decide what: the groups, and per ring its overriders,
/// <c>allowSelfOverride</c> and its gates (id, kind, approvers, <c>minApprovals</c>, <c>allowSelfApproval</c>,
/// teams, overriders), and the identity settings (<c>require</c>, and the allowed signers file by its digest). Its canonical form (keys and people sorted, no white space) is recorded in the ledger
/// with its SHA-256, and decisions are judged against the form accepted when they were made.
/// Channels, steps and settings are not part of it: they change what a ring does, not who may pass it.
/// </summary>
public static class TrustDefinition
{
    /// <summary>
    /// The canonical form of <paramref name="definition"/>'s trust lists; <paramref name="signers"/> is its allowed
    /// signers file as loaded to check signatures (<see cref="LedgerTrust.Signers"/>), recorded by the digest of the
    /// bytes it was parsed from. Null exactly when the definition names no such file.
    /// </summary>
    public static JsonObject Canonical(ReleaseDefinition definition, AllowedSigners? signers)
    {
        if ((definition.Identity.AllowedSigners is null) != (signers is null))
        {
            throw new ArgumentException(signers is null
                ? "the definition names an allowed signers file, and its loaded signers are needed for the trust lists"
                : "the definition names no allowed signers file, but signers were given", nameof(signers));
        }

        var groups = new JsonObject();
        foreach (var (name, members) in definition.Groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            groups[name] = People(members);
        }

        var rings = new JsonObject();
        foreach (var name in RingName.All)
        {
            var ring = definition.Rings[name];
            var gates = new JsonArray();
            foreach (var gate in ring.Gates.OrderBy(g => g.Id, StringComparer.Ordinal))
            {
                var teams = new JsonObject();
                foreach (var (team, members) in gate.Teams.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    teams[team] = People(members);
                }

                gates.Add(new JsonObject
                {
                    ["id"] = gate.Id,
                    ["kind"] = gate.Kind,
                    ["decidedByPeople"] = gate.DecidedByPeople,
                    ["approvers"] = People(gate.Approvers),
                    ["minApprovals"] = gate.MinApprovals,
                    ["allowSelfApproval"] = gate.AllowSelfApproval,
                    ["teams"] = teams,
                    ["overriders"] = People(gate.Overriders),
                });
            }

            rings[name] = new JsonObject
            {
                ["overriders"] = People(ring.Overriders),
                ["allowSelfOverride"] = ring.AllowSelfOverride,
                ["gates"] = gates,
            };
        }

        // Who may sign as whom is trust too: the requirement, and the allowed signers file by the digest of its bytes.
        var identity = new JsonObject
        {
            ["require"] = definition.Identity.Require.ToString().ToLowerInvariant(),
            ["allowedSigners"] = signers?.Digest,
        };
        return new JsonObject { ["groups"] = groups, ["identity"] = identity, ["rings"] = rings };
    }

    /// <summary>The digest the ledger records: <c>sha256:</c> and the hex SHA-256 of the canonical form's compact JSON.</summary>
    public static string DigestOf(JsonObject canonical) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));

    /// <summary>
    /// <paramref name="current"/> with its trust lists replaced by a recorded canonical form: the definition as it
    /// was accepted. Throws <see cref="FormatException"/> when the record is not a canonical form.
    /// </summary>
    public static ReleaseDefinition Apply(ReleaseDefinition current, JsonObject recorded)
    {
        var groups = (recorded["groups"] as JsonObject ?? throw new FormatException("it has no groups"))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)Strings(g.Value), StringComparer.Ordinal);
        var ringsNode = recorded["rings"] as JsonObject ?? throw new FormatException("it has no rings");
        var rings = new Dictionary<string, RingDefinition>(StringComparer.Ordinal);
        foreach (var (name, ring) in current.Rings)
        {
            var node = ringsNode[name] as JsonObject ?? throw new FormatException($"it has no ring {name}");
            var gates = (node["gates"] as JsonArray ?? throw new FormatException($"ring {name} has no gates")).Select(g => g as JsonObject ?? throw new FormatException($"a gate of {name} is not an object")).Select(g => new GateDefinition
            {
                Id = Text(g, "id"),
                Kind = Text(g, "kind"),
                DecidedByPeople = g["decidedByPeople"]?.GetValue<bool>() ?? false,
                Approvers = Strings(g["approvers"]),
                MinApprovals = g["minApprovals"]?.GetValue<int>() ?? 1,
                AllowSelfApproval = g["allowSelfApproval"]?.GetValue<bool>() ?? false,
                Teams = (g["teams"] as JsonObject ?? []).ToDictionary(t => t.Key, t => (IReadOnlyList<string>)Strings(t.Value), StringComparer.Ordinal),
                Overriders = Strings(g["overriders"]),
            }).ToList();
            rings[name] = ring with
            {
                Overriders = Strings(node["overriders"]),
                AllowSelfOverride = node["allowSelfOverride"]?.GetValue<bool>() ?? false,
                Gates = gates,
            };
        }

        return current with { Groups = groups, Rings = rings };
    }

    /// <summary>What differs between two canonical forms, one line a list or setting ("validate-build/tactics approvers: added eve@x.com").</summary>
    public static IReadOnlyList<string> Changes(JsonObject before, JsonObject after)
    {
        var was = Flatten(before);
        var now = Flatten(after);
        var changes = new List<string>();
        foreach (var key in was.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var old = was.GetValueOrDefault(key);
            var @new = now.GetValueOrDefault(key);
            if (old is JsonArray || @new is JsonArray)
            {
                var oldPeople = Strings(old).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var newPeople = Strings(@new).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var added = newPeople.Where(p => !oldPeople.Contains(p)).Order(StringComparer.OrdinalIgnoreCase).ToList();
                var removed = oldPeople.Where(p => !newPeople.Contains(p)).Order(StringComparer.OrdinalIgnoreCase).ToList();
                var parts = new List<string>();
                if (added.Count > 0)
                {
                    parts.Add($"added {string.Join(", ", added)}");
                }

                if (removed.Count > 0)
                {
                    parts.Add($"removed {string.Join(", ", removed)}");
                }

                if (parts.Count > 0)
                {
                    changes.Add($"{key}: {string.Join("; ", parts)}");
                }
            }
            else if (old?.ToJsonString() != @new?.ToJsonString())
            {
                changes.Add($"{key}: {old?.ToJsonString() ?? "(none)"} -> {@new?.ToJsonString() ?? "(none)"}");
            }
        }

        return changes;
    }

    /// <summary>The form's lists and settings by a readable name: "group tactics", "prep overriders", "prep/release-team approvers".</summary>
    private static Dictionary<string, JsonNode?> Flatten(JsonObject canonical)
    {
        var flat = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, members) in canonical["groups"] as JsonObject ?? [])
        {
            flat[$"group {name}"] = members;
        }

        // Recorded before the identity settings were part of the lists: no identity reads as none.
        flat["identity require"] = canonical["identity"]?["require"] ?? JsonValue.Create("none");
        flat["identity allowedSigners"] = canonical["identity"]?["allowedSigners"];
        foreach (var (ring, node) in canonical["rings"] as JsonObject ?? [])
        {
            if (node is not JsonObject ringNode)
            {
                continue;
            }

            flat[$"{ring} overriders"] = ringNode["overriders"];
            flat[$"{ring} allowSelfOverride"] = ringNode["allowSelfOverride"];
            foreach (var gate in (ringNode["gates"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var prefix = $"{ring}/{gate["id"]}";
                flat[$"{prefix} kind"] = gate["kind"];
                flat[$"{prefix} approvers"] = gate["approvers"];
                flat[$"{prefix} minApprovals"] = gate["minApprovals"];
                flat[$"{prefix} allowSelfApproval"] = gate["allowSelfApproval"];
                flat[$"{prefix} overriders"] = gate["overriders"];
                foreach (var (team, members) in gate["teams"] as JsonObject ?? [])
                {
                    flat[$"{prefix} team {team}"] = members;
                }
            }
        }

        return flat;
    }

    private static JsonArray People(IEnumerable<string> principals) =>
        [.. principals.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(p => (JsonNode?)JsonValue.Create(p))];

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? throw new FormatException("a list holds a null"))] : [];

    private static string Text(JsonObject node, string key) =>
        node[key]?.GetValue<string>() ?? throw new FormatException($"a gate has no {key}");
}
