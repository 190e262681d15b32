using Contoso.Sample.Core;

namespace Contoso.Sample.App;

/// <summary>Builds the banner the Contoso sample product prints on start.</summary>
public static class Banner
{
    public const string Title = "Contoso Sample App";

    /// <summary>Returns the banner lines for the given user.</summary>
    public static IReadOnlyList<string> For(string user) =>
        [Title, new string('=', Title.Length), Greeter.Greet(user)];

    /// <summary>Returns the banner as one string, one line per banner line.</summary>
    public static string Render(string user) => string.Join(Environment.NewLine, For(user));
}
