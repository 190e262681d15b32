using System.Globalization;
using Microsoft.Data.Sqlite;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;

namespace ReleaseCli.Integrations.Bar;

/// <summary>
/// The embedded default BAR: a SQLite file with Maestro's model (builds, assets, asset locations,
/// channels, build-channel assignments, build dependencies). Also what the `release bar` verbs edit.
/// </summary>
public sealed class SqliteBuildAssetRegistry : IBuildAssetRegistry
{
    public bool IsLocal => true;

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS channels (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            classification TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS builds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            commit_sha TEXT NOT NULL,
            github_repository TEXT, github_branch TEXT,
            azdo_repository TEXT, azdo_branch TEXT, azdo_account TEXT, azdo_project TEXT,
            azdo_build_number TEXT, azdo_build_id INTEGER, azdo_definition_id INTEGER,
            date_produced TEXT NOT NULL,
            released INTEGER NOT NULL DEFAULT 0,
            stable INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS assets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            build_id INTEGER NOT NULL REFERENCES builds(id),
            name TEXT NOT NULL, version TEXT NOT NULL, non_shipping INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS asset_locations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asset_id INTEGER NOT NULL REFERENCES assets(id),
            location TEXT NOT NULL, type TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS build_channels (
            build_id INTEGER NOT NULL REFERENCES builds(id),
            channel_id INTEGER NOT NULL REFERENCES channels(id),
            date_added TEXT NOT NULL,
            PRIMARY KEY (build_id, channel_id));
        CREATE TABLE IF NOT EXISTS build_dependencies (
            build_id INTEGER NOT NULL REFERENCES builds(id),
            dependent_build_id INTEGER NOT NULL,
            is_product INTEGER NOT NULL,
            time_to_inclusion REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (build_id, dependent_build_id));
        CREATE INDEX IF NOT EXISTS assets_by_build ON assets(build_id);
        CREATE INDEX IF NOT EXISTS locations_by_asset ON asset_locations(asset_id);
        """;

    private readonly TimeProvider _time;

    /// <summary>
    /// Names the file only: SQLite (Microsoft.Data.Sqlite and its native library) is loaded when BAR is first read,
    /// so a verb that has a BAR in its environment and never asks it anything (status, a ring with nothing to do) does not pay for it.
    /// </summary>
    public SqliteBuildAssetRegistry(string path, TimeProvider time)
    {
        Path = System.IO.Path.GetFullPath(path);
        _time = time;
    }

    public string Path { get; }

    public string Description => $"the local BAR {Path}";

    public async Task<BarBuild?> GetBuildAsync(int buildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, commit_sha, github_repository, azdo_repository, azdo_build_number, date_produced, released, stable FROM builds WHERE id = $id";
        command.Parameters.AddWithValue("$id", buildId);
        BarBuild build;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            build = new BarBuild
            {
                Id = reader.GetInt32(0),
                Commit = reader.GetString(1),
                GitHubRepository = reader.IsDBNull(2) ? null : reader.GetString(2),
                AzureDevOpsRepository = reader.IsDBNull(3) ? null : reader.GetString(3),
                AzureDevOpsBuildNumber = reader.IsDBNull(4) ? null : reader.GetString(4),
                DateProduced = DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                Released = reader.GetInt64(6) != 0,
                Stable = reader.GetInt64(7) != 0,
            };
        }

        return build with
        {
            Assets = await ReadAssetsAsync(connection, buildId, cancellationToken).ConfigureAwait(false),
            Channels = await ReadChannelsAsync(connection, "SELECT c.id, c.name, c.classification FROM channels c JOIN build_channels bc ON bc.channel_id = c.id WHERE bc.build_id = $id ORDER BY c.id", buildId, cancellationToken).ConfigureAwait(false),
            Dependencies = await ReadDependenciesAsync(connection, buildId, cancellationToken).ConfigureAwait(false),
        };
    }

    public async Task<BarBuildAssetKeys?> GetBuildAssetKeysAsync(int buildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT commit_sha FROM builds WHERE id = $id";
        command.Parameters.AddWithValue("$id", buildId);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string commit)
        {
            return null;
        }

        command.CommandText = "SELECT name, version, non_shipping FROM assets WHERE build_id = $id ORDER BY id";
        var assets = new List<(string Name, string Version, bool NonShipping)>();
        var shared = new BarAssetValues();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            assets.Add((reader.GetString(0), shared.Version(reader.GetString(1)), reader.GetInt64(2) != 0));
        }

        return new BarBuildAssetKeys(buildId, commit, assets);
    }

    public async Task<IReadOnlyList<BarBuild>> GetBuildsAsync(string repository, string commit, CancellationToken cancellationToken)
    {
        var ids = await ReadIdsAsync(
            """
            SELECT id FROM builds
            WHERE (github_repository = $repo COLLATE NOCASE OR azdo_repository = $repo COLLATE NOCASE) AND commit_sha = $commit COLLATE NOCASE
            ORDER BY date_produced DESC, id DESC
            """,
            [("$repo", repository), ("$commit", commit)],
            cancellationToken).ConfigureAwait(false);
        var builds = new List<BarBuild>();
        foreach (var id in ids)
        {
            builds.Add((await GetBuildAsync(id, cancellationToken).ConfigureAwait(false))!);
        }

        return builds;
    }

    public async Task<BarBuild?> GetLatestBuildAsync(string repository, int channelId, CancellationToken cancellationToken)
    {
        var ids = await ReadIdsAsync(
            """
            SELECT b.id FROM builds b JOIN build_channels bc ON bc.build_id = b.id
            WHERE bc.channel_id = $channel AND (b.github_repository = $repo COLLATE NOCASE OR b.azdo_repository = $repo COLLATE NOCASE)
            ORDER BY b.date_produced DESC, b.id DESC LIMIT 1
            """,
            [("$repo", repository), ("$channel", channelId)],
            cancellationToken).ConfigureAwait(false);
        return ids.Count == 0 ? null : await GetBuildAsync(ids[0], cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BarChannel>> GetChannelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadChannelsAsync(connection, "SELECT id, name, classification FROM channels ORDER BY id", null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromotionAnswer> AssignBuildToChannelAsync(int buildId, int channelId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await RequireAsync(connection, "SELECT 1 FROM builds WHERE id = $id", buildId, $"Build {buildId} is not in {Description}.", cancellationToken).ConfigureAwait(false);
        await RequireAsync(connection, "SELECT 1 FROM channels WHERE id = $id", channelId, $"Channel {channelId} is not in {Description}.", cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO build_channels (build_id, channel_id, date_added) VALUES ($build, $channel, $now)";
        command.Parameters.AddWithValue("$build", buildId);
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 0
            ? new PromotionAnswer(AlreadyAssigned: true, $"build {buildId} was already in channel {channelId}")
            : new PromotionAnswer(AlreadyAssigned: false, $"build {buildId} added to channel {channelId}");
    }

    public async Task MarkReleasedAsync(int buildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE builds SET released = 1 WHERE id = $id";
        command.Parameters.AddWithValue("$id", buildId);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw ReleaseException.Usage($"Build {buildId} is not in {Description}.");
        }
    }

    /// <summary>Creates a channel; an existing channel of that name is returned as is.</summary>
    public async Task<BarChannel> AddChannelAsync(string name, string classification, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim() != name || name.Any(char.IsControl))
        {
            // Definitions and promotions name channels exactly; a blank or padded name could never be told apart.
            throw ReleaseException.Usage($"'{name}' is not a channel name: give a name that is not empty and neither starts nor ends with spaces, e.g. \"Contoso Sample Builds\".");
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO channels (name, classification) VALUES ($name, $classification); SELECT id, name, classification FROM channels WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$classification", classification);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new BarChannel(reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
    }

    /// <summary>Registers a build from Maestro's BuildData shape and returns it with its new id.</summary>
    public async Task<BarBuild> AddBuildAsync(BuildDataJson data, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var dependency in data.Dependencies ?? [])
        {
            await RequireAsync(connection, "SELECT 1 FROM builds WHERE id = $id", dependency.BuildId, $"dependencies: build {dependency.BuildId} is not in {Description}; register it first.", cancellationToken).ConfigureAwait(false);
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO builds (commit_sha, github_repository, github_branch, azdo_repository, azdo_branch, azdo_account, azdo_project,
                azdo_build_number, azdo_build_id, azdo_definition_id, date_produced, released, stable)
            VALUES ($commit, $gh, $ghBranch, $azdo, $azdoBranch, $account, $project, $number, $buildId, $definitionId, $date, $released, $stable);
            SELECT last_insert_rowid();
            """;
        insert.Parameters.AddWithValue("$commit", data.Commit!);
        insert.Parameters.AddWithValue("$gh", (object?)data.GitHubRepository ?? DBNull.Value);
        insert.Parameters.AddWithValue("$ghBranch", (object?)data.GitHubBranch ?? DBNull.Value);
        insert.Parameters.AddWithValue("$azdo", (object?)data.AzureDevOpsRepository ?? DBNull.Value);
        insert.Parameters.AddWithValue("$azdoBranch", (object?)data.AzureDevOpsBranch ?? DBNull.Value);
        insert.Parameters.AddWithValue("$account", (object?)data.AzureDevOpsAccount ?? DBNull.Value);
        insert.Parameters.AddWithValue("$project", (object?)data.AzureDevOpsProject ?? DBNull.Value);
        insert.Parameters.AddWithValue("$number", (object?)data.AzureDevOpsBuildNumber ?? DBNull.Value);
        insert.Parameters.AddWithValue("$buildId", (object?)data.AzureDevOpsBuildId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$definitionId", (object?)data.AzureDevOpsBuildDefinitionId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$date", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$released", data.Released ? 1 : 0);
        insert.Parameters.AddWithValue("$stable", data.Stable ? 1 : 0);
        var id = Convert.ToInt32(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

        foreach (var asset in data.Assets ?? [])
        {
            await using var assetCommand = connection.CreateCommand();
            assetCommand.CommandText = "INSERT INTO assets (build_id, name, version, non_shipping) VALUES ($build, $name, $version, $nonShipping); SELECT last_insert_rowid();";
            assetCommand.Parameters.AddWithValue("$build", id);
            assetCommand.Parameters.AddWithValue("$name", asset.Name!);
            assetCommand.Parameters.AddWithValue("$version", asset.Version!);
            assetCommand.Parameters.AddWithValue("$nonShipping", asset.NonShipping ? 1 : 0);
            var assetId = Convert.ToInt64(await assetCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            foreach (var location in asset.Locations ?? [])
            {
                await using var locationCommand = connection.CreateCommand();
                locationCommand.CommandText = "INSERT INTO asset_locations (asset_id, location, type) VALUES ($asset, $location, $type)";
                locationCommand.Parameters.AddWithValue("$asset", assetId);
                locationCommand.Parameters.AddWithValue("$location", location.Location!);
                locationCommand.Parameters.AddWithValue("$type", location.Type.ToString());
                await locationCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var dependency in data.Dependencies ?? [])
        {
            await using var dependencyCommand = connection.CreateCommand();
            dependencyCommand.CommandText = "INSERT OR REPLACE INTO build_dependencies (build_id, dependent_build_id, is_product, time_to_inclusion) VALUES ($build, $dependency, $product, $time)";
            dependencyCommand.Parameters.AddWithValue("$build", id);
            dependencyCommand.Parameters.AddWithValue("$dependency", dependency.BuildId);
            dependencyCommand.Parameters.AddWithValue("$product", dependency.IsProduct ? 1 : 0);
            dependencyCommand.Parameters.AddWithValue("$time", dependency.TimeToInclusionInMinutes);
            await dependencyCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (await GetBuildAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, ForeignKeys = true, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task<IReadOnlyList<int>> ReadIdsAsync(string sql, IEnumerable<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var ids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }

    private static async Task RequireAsync(SqliteConnection connection, string sql, int id, string message, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw ReleaseException.Usage(message);
        }
    }

    private static async Task<IReadOnlyList<BarAsset>> ReadAssetsAsync(SqliteConnection connection, int buildId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.id, a.name, a.version, a.non_shipping, l.location, l.type
            FROM assets a LEFT JOIN asset_locations l ON l.asset_id = a.id
            WHERE a.build_id = $id ORDER BY a.id, l.id
            """;
        command.Parameters.AddWithValue("$id", buildId);
        var assets = new List<BarAsset>();
        var shared = new BarAssetValues();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt32(0);
            if (assets.Count == 0 || assets[^1].Id != id)
            {
                assets.Add(new BarAsset(id, reader.GetString(1), shared.Version(reader.GetString(2)), reader.GetInt64(3) != 0, []));
            }

            if (!reader.IsDBNull(4))
            {
                var type = Enum.Parse<AssetLocationType>(reader.GetString(5), ignoreCase: true);
                assets[^1] = assets[^1] with { Locations = shared.Add(assets[^1].Locations, reader.GetString(4), type) };
            }
        }

        return assets;
    }

    private static async Task<IReadOnlyList<BarChannel>> ReadChannelsAsync(SqliteConnection connection, string sql, int? buildId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (buildId is { } id)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        var channels = new List<BarChannel>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            channels.Add(new BarChannel(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }

        return channels;
    }

    private static async Task<IReadOnlyList<BarBuildDependency>> ReadDependenciesAsync(SqliteConnection connection, int buildId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT dependent_build_id, is_product, time_to_inclusion FROM build_dependencies WHERE build_id = $id ORDER BY dependent_build_id";
        command.Parameters.AddWithValue("$id", buildId);
        var dependencies = new List<BarBuildDependency>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            dependencies.Add(new BarBuildDependency(reader.GetInt32(0), reader.GetInt64(1) != 0, reader.GetDouble(2)));
        }

        return dependencies;
    }
}
