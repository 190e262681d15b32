using System.Xml;
using System.Xml.Linq;

namespace ReleaseCli.Rings.BuildValidation.Packages;

/// <summary>The nuspec fields the package rules look at.</summary>
public sealed record NuspecInfo(string? Id, string? Version, string? Authors, string? License, string? LicenseUrl, string? ProjectUrl, string? Icon, string? IconUrl, string? RepositoryUrl, string? RepositoryCommit)
{
    public static NuspecInfo Parse(Stream stream)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(stream, settings);
        var document = XDocument.Load(reader);
        var metadata = document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")
            ?? throw new XmlException("the nuspec has no <metadata> element");
        string? Value(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } v ? v : null;
        var repository = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "repository");
        return new NuspecInfo(
            Value("id"),
            Value("version"),
            Value("authors"),
            Value("license"),
            Value("licenseUrl"),
            Value("projectUrl"),
            Value("icon"),
            Value("iconUrl"),
            repository?.Attribute("url")?.Value,
            repository?.Attribute("commit")?.Value);
    }
}
