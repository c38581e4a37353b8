using ActorMove.Dicom.Data;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Engine.Tests.Storage;

public class ComparingStreamTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();

    private sealed record Outcome(bool Matches, bool MatchesAll, long Length);

    private static Outcome Compare(TempDirectory work, Action<ComparingStream> write)
    {
        string path = work.Combine("expected");
        File.WriteAllBytes(path, Content);
        using var source = new FileValueSource(path);
        var stream = new ComparingStream(source, source.Length);
        write(stream);
        return new Outcome(stream.Matches, stream.MatchesAll, stream.Length);
    }

    [Fact]
    public void The_same_bytes_in_pieces_of_any_size_match_the_whole_file()
    {
        using var work = new TempDirectory();
        var stream = Compare(work, s =>
        {
            s.Write(Content, 0, 1);
            s.Write(Content.AsSpan(1, 100_000));
            s.Write(Content.AsSpan(100_001));
        });

        Assert.True(stream.MatchesAll);
        Assert.Equal(Content.Length, stream.Length);
    }

    [Fact]
    public void In_memory_the_expected_bytes_are_the_two_parts_one_after_the_other()
    {
        var matching = new ComparingStream(Content.AsMemory(0, 1000), Content.AsMemory(1000));
        matching.Write(Content.AsSpan(0, 999));
        matching.Write(Content.AsSpan(999, 2));
        matching.Write(Content.AsSpan(1001));
        Assert.True(matching.MatchesAll);

        byte[] changed = (byte[])Content.Clone();
        changed[1000] ^= 1;
        var differing = new ComparingStream(Content.AsMemory(0, 1000), Content.AsMemory(1000));
        differing.Write(changed);
        Assert.False(differing.Matches);

        var shorter = new ComparingStream(Content.AsMemory(0, 1000), Content.AsMemory(1000));
        shorter.Write(Content.AsSpan(0, 1500));
        Assert.True(shorter.Matches);
        Assert.False(shorter.MatchesAll);
        shorter.Write(Content.AsSpan(1500));
        shorter.WriteByte(0);
        Assert.False(shorter.Matches);
    }

    [Fact]
    public void One_different_byte_anywhere_is_a_mismatch()
    {
        using var work = new TempDirectory();
        byte[] changed = (byte[])Content.Clone();
        changed[150_000] ^= 1;

        var stream = Compare(work, s => s.Write(changed));

        Assert.False(stream.Matches);
        Assert.False(stream.MatchesAll);
    }

    [Fact]
    public void A_prefix_matches_but_not_the_whole_file_and_writing_past_the_end_does_not_match()
    {
        using var work = new TempDirectory();
        var prefix = Compare(work, s => s.Write(Content.AsSpan(0, 1000)));
        Assert.True(prefix.Matches);
        Assert.False(prefix.MatchesAll);

        var longer = Compare(work, s =>
        {
            s.Write(Content);
            s.WriteByte(0);
        });
        Assert.False(longer.Matches);
    }
}
