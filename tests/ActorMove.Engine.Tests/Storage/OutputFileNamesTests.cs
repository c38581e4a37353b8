using ActorMove.Engine.Storage;
using Xunit;

namespace ActorMove.Engine.Tests.Storage;

public class OutputFileNamesTests
{
    [Fact]
    public void Plain_uid_is_used_verbatim_after_the_prefix()
    {
        var (name, sanitised) = OutputFileNames.For("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4\0");

        Assert.Equal("CT.1.2.3.4", name);
        Assert.False(sanitised);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("1.2/3")]
    [InlineData("1..2")]
    [InlineData("..")]
    [InlineData("1.2.3 evil")]
    [InlineData("")]
    public void Hostile_uids_never_leave_the_output_folder(string uid)
    {
        using var folder = new ActorMove.Testing.TempDirectory();
        var (name, sanitised) = OutputFileNames.For("1.2.840.10008.5.1.4.1.1.2", uid);

        Assert.True(sanitised);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain("..", name);
        string path = OutputFileNames.PathIn(folder.Path, name);
        Assert.Equal(folder.Path, Path.GetDirectoryName(path));
    }

    [Fact]
    public void Different_hostile_uids_that_clean_alike_get_different_names_and_one_uid_always_the_same()
    {
        const string sopClass = "1.2.840.10008.5.1.4.1.1.2";
        // Both clean to "____".
        string first = OutputFileNames.For(sopClass, "../a").FileName;
        string second = OutputFileNames.For(sopClass, "../b").FileName;

        Assert.NotEqual(first, second);
        Assert.Equal(first, OutputFileNames.For(sopClass, "../a").FileName);
        Assert.StartsWith("CT.____-", first);
        Assert.StartsWith("CT.____-", second);
    }

    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.481.5", "RP.1.2")]
    [InlineData("1.2.840.10008.5.1.4.1.1.4", "MR.1.2")]
    public void Prefix_comes_from_movescus_table(string sopClass, string expected)
    {
        Assert.Equal(expected, OutputFileNames.For(sopClass, "1.2").FileName);
    }

    [Fact]
    public void Unknown_sop_class_gets_dcmtks_unknown_prefix()
    {
        Assert.Equal("UNKNOWN.1.2", OutputFileNames.For("1.2.3.4.5.6.7.8.9.999", "1.2").FileName);
    }

    [Fact]
    public void A_name_with_a_separator_is_refused_by_PathIn()
    {
        Assert.Throws<InvalidOperationException>(() => OutputFileNames.PathIn("/tmp/out", "../x"));
    }
}
