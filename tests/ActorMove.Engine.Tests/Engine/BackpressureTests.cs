using System.Buffers;
using System.Globalization;
using System.Net;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Akka.Actor;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>A slow writer slows the sender instead of growing memory: what is read off the socket but not yet written stays within the budget.</summary>
public class BackpressureTests
{
    private const int Budget = 64 * 1024;
    private const int MaxPdu = 16384;

    /// <summary>Acknowledges each chunk only after a delay, and records the most bytes it ever held unacknowledged.</summary>
    private sealed class SlowWriter : ReceiveActor, IWithTimers
    {
        public static long MaxInFlight;
        public static long TotalBytes;
        private long _inFlight;
        private long _timer;

        public ITimerScheduler Timers { get; set; } = null!;

        private sealed record Acknowledge(int Length);

        private StoreResponder? _responder;

        public SlowWriter(ByteCredit credit)
        {
            Receive<FileWriter.Begin>(begin => _responder = begin.Responder);
            Receive<FileWriter.Chunk>(chunk =>
            {
                _inFlight += chunk.Length;
                Interlocked.Add(ref TotalBytes, chunk.Length);
                InterlockedMax(ref MaxInFlight, _inFlight);
                if (chunk.ReturnsBlock)
                {
                    ArrayPool<byte>.Shared.Return(chunk.Block);
                }

                Timers.StartSingleTimer(++_timer, new Acknowledge(chunk.Length), TimeSpan.FromMilliseconds(2));
            });
            Receive<Acknowledge>(ack =>
            {
                _inFlight -= ack.Length;
                credit.Release(ack.Length);
            });
            Receive<FileWriter.End>(end =>
            {
                // The last block travels with the end; its credit comes back after the same delay as a chunk's.
                if (end.Block is not null)
                {
                    Self.Tell(new FileWriter.Chunk(end.StoreId, end.Block, end.Offset, end.Length, ReturnsBlock: true));
                }

                _responder?.Succeeded("(slow)", 0, null, null);
            });
            Receive<FileWriter.Discard>(discard =>
            {
                if (discard.Block is not null)
                {
                    ArrayPool<byte>.Shared.Return(discard.Block);
                }
            });
        }

        private static void InterlockedMax(ref long target, long value)
        {
            long current;
            while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    [Fact]
    public async Task A_slow_writer_keeps_the_bytes_between_socket_and_disk_within_the_budget()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 4, pixelBytes: 1_000_000);
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Store = new StoreSettings
            {
                EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                OutputDirectory = work.Path,
                BufferPerAssociation = Budget,
                WriterProps = credit => Props.Create(() => new SlowWriter(credit)),
                Association = Network.Association.AssociationOptions.Default with { MaxPduLength = MaxPdu },
            },
        });
        int port = (await engine.Client.GetStorePortAsync())!.Value;

        var result = await DcmtkTool.RunAsync("storescu", ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. images.Select(i => i.Path)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(Interlocked.Read(ref SlowWriter.TotalBytes) > 4_000_000);
        // One chunk may pass beyond the budget at most (a PDU's worth), never the megabytes the peer sent.
        Assert.InRange(Interlocked.Read(ref SlowWriter.MaxInFlight), 1, Budget + MaxPdu);
    }
}
