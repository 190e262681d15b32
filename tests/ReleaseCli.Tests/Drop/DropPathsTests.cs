using ReleaseCli.Core.Contract;

namespace ReleaseCli.Tests.Drop;

public sealed class DropPathsTests
{
    [Fact]
    public void A_path_through_a_symbolic_link_is_refused()
    {
        var root = Directory.CreateTempSubdirectory("release-paths-").FullName;
        var outside = Directory.CreateTempSubdirectory("release-outside-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(root, "link"), outside);
            var error = Assert.Throws<UnsafePathException>(() => DropPaths.EnsureNoLinks(root, DropPaths.Resolve(root, "link/file.txt")));
            Assert.Contains("'link' in the folder is a symbolic link", error.Message, StringComparison.Ordinal);
            DropPaths.EnsureNoLinks(root, DropPaths.Resolve(root, "plain/file.txt"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void The_walk_lists_links_as_themselves_and_never_enters_one()
    {
        var root = Directory.CreateTempSubdirectory("release-walk-").FullName;
        var outside = Directory.CreateTempSubdirectory("release-outside-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "b", "c"));
            File.WriteAllText(Path.Combine(root, "b", "c", "z.txt"), "z");
            File.WriteAllText(Path.Combine(root, "a.txt"), "a");
            File.WriteAllText(Path.Combine(outside, "secret.txt"), "s");
            Directory.CreateSymbolicLink(Path.Combine(root, "b", "loop"), root);
            Directory.CreateSymbolicLink(Path.Combine(root, "out"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "b", "secret.txt"), Path.Combine(outside, "secret.txt"));

            var (files, links) = DropPaths.Walk(root);

            Assert.Equal(["a.txt", "b/c/z.txt"], files);
            Assert.Equal(["b/loop", "b/secret.txt", "out"], links);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("a//b")]
    public void Escaping_names_are_refused(string name) => Assert.NotNull(DropPaths.Check(name));
}
