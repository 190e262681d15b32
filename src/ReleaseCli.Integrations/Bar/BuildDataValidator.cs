
namespace ReleaseCli.Integrations.Bar;

/// <summary>Checks a BuildData document before it is registered; every error names the field.</summary>
public static class BuildDataValidator
{
    public static IReadOnlyList<string> Validate(BuildDataJson data)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(data.Commit))
        {
            errors.Add("commit: is required (the full commit sha the build was made from).");
        }

        if (string.IsNullOrWhiteSpace(data.GitHubRepository) && string.IsNullOrWhiteSpace(data.AzureDevOpsRepository))
        {
            errors.Add("gitHubRepository / azureDevOpsRepository: one of them is required.");
        }

        var assets = data.Assets ?? [];
        for (var i = 0; i < assets.Count; i++)
        {
            var asset = assets[i];
            if (string.IsNullOrWhiteSpace(asset.Name))
            {
                errors.Add($"assets[{i}].name: is required.");
            }

            if (string.IsNullOrWhiteSpace(asset.Version))
            {
                errors.Add($"assets[{i}].version: is required.");
            }

            var locations = asset.Locations ?? [];
            for (var j = 0; j < locations.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(locations[j].Location))
                {
                    errors.Add($"assets[{i}].locations[{j}].location: is required.");
                }

                if (!Enum.IsDefined(locations[j].Type))
                {
                    errors.Add($"assets[{i}].locations[{j}].type: must be none, nugetFeed or container.");
                }
            }
        }

        var dependencies = data.Dependencies ?? [];
        for (var i = 0; i < dependencies.Count; i++)
        {
            if (dependencies[i].BuildId <= 0)
            {
                errors.Add($"dependencies[{i}].buildId: must be the BAR id of a registered build.");
            }
        }

        return errors;
    }
}
