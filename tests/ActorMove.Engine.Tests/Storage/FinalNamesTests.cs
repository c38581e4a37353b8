using ActorMove.Engine.Storage;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Engine.Tests.Storage;

public class FinalNamesTests
{
    [Fact]
    public void A_free_name_is_taken_and_a_taken_one_replaced_and_reported()
    {
        using var folder = new TempDirectory();
        string final = folder.Combine("CT.1.2.3");
        string first = folder.Combine("CT.1.2.3.a.partial");
        string second = folder.Combine("CT.1.2.3.b.partial");
        File.WriteAllText(first, "first");
        File.WriteAllText(second, "second");

        Assert.False(FinalNames.Publish(first, final));
        Assert.Equal("first", File.ReadAllText(final));
        Assert.True(FinalNames.Publish(second, final));
        Assert.Equal("second", File.ReadAllText(final));
        Assert.Equal([final], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_missing_temporary_file_fails_and_leaves_the_final_name_alone()
    {
        using var folder = new TempDirectory();
        string final = folder.Combine("CT.1.2.3");
        File.WriteAllText(final, "kept");

        Assert.Throws<FileNotFoundException>(() => FinalNames.Publish(folder.Combine("gone.partial"), final));
        Assert.Equal("kept", File.ReadAllText(final));
        // And the next publish still works.
        File.WriteAllText(folder.Combine("next.partial"), "next");
        Assert.True(FinalNames.Publish(folder.Combine("next.partial"), final));
        Assert.Equal("next", File.ReadAllText(final));
    }
}
