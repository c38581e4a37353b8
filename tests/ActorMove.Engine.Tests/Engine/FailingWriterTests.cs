using System.Buffers;
using System.Globalization;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Akka.Actor;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>A file writer that fails on every object is restarted a bounded number of times, then ends its association.</summary>
public class FailingWriterTests
{
    /// <summary>Throws on every object it is given, and answers that object as failed when restarted, as the real writer does.</summary>
    private sealed class AlwaysFailingWriter : ReceiveActor
    {
        private StoreResponder? _responder;

        public AlwaysFailingWriter(ByteCredit credit)
        {
            Receive<FileWriter.Begin>(begin =>
            {
                _responder = begin.Responder;
                throw new InvalidOperationException("the disk is gone");
            });
            Receive<FileWriter.Chunk>(chunk =>
            {
                if (chunk.ReturnsBlock)
                {
                    ArrayPool<byte>.Shared.Return(chunk.Block);
                }

                credit.Release(chunk.Length);
            });
            Receive<FileWriter.End>(end =>
            {
                if (end.Block is not null)
                {
                    ArrayPool<byte>.Shared.Return(end.Block);
                }

                credit.Release(end.Length);
            });
        }

        protected override void PreRestart(Exception reason, object message)
        {
            _responder?.Failed();
            base.PreRestart(reason, message);
        }
    }

    [Fact]
    public async Task A_writer_that_keeps_failing_ends_its_association_instead_of_leaving_the_peer_waiting()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 14, pixelBytes: 2_000);
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Store = new StoreSettings
            {
                EndPoint = new(System.Net.IPAddress.Loopback, 0),
                OutputDirectory = work.Path,
                WriterProps = credit => Props.Create(() => new AlwaysFailingWriter(credit)),
            },
        });
        string port = (await engine.Client.GetStorePortAsync())!.Value.ToString(CultureInfo.InvariantCulture);

        var store = await DcmtkTool.RunAsync("storescu", ["-v", "-nh", "127.0.0.1", port, .. images.Select(i => i.Path)], timeout: TimeSpan.FromSeconds(60));

        // -nh: storescu goes on after a refused object. Ten restarts within the minute are allowed, each object answered
        // A700; the eleventh failure stops the writer, and the association is aborted with it instead of leaving
        // storescu waiting for a response that cannot come.
        string log = store.StdOut + store.StdErr;
        Assert.Equal(10, CountOccurrences(log, "Received Store Response (Refused: OutOfResources"));
        Assert.Contains("Peer aborted Association", log, StringComparison.Ordinal);
        // The engine itself carries on: a new association is served.
        var echo = await DcmtkTool.RunAsync("echoscu", ["127.0.0.1", port], timeout: TimeSpan.FromSeconds(30));
        Assert.True(echo.ExitCode == 0, echo.ToString());
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
