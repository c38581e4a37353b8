using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Engine.Storage;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Pdu;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Akka.Actor;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>
/// The socket loop hands each object to its writer in parts while it arrives, so that most of the file is written
/// before the last byte; an object that fits in a block still reaches the writer whole in memory at its end.
/// </summary>
public class StoreHandOffTests
{
    private sealed record Part(int Offset, int Length, bool ReturnsBlock, bool IsEnd, byte[]? Block);

    /// <summary>Records how each object's bytes arrive, gives back their credit and answers every store as written.</summary>
    private sealed class RecordingWriter : ReceiveActor
    {
        public RecordingWriter(ByteCredit credit, ConcurrentQueue<Part> parts)
        {
            StoreResponder? responder = null;
            Receive<FileWriter.Begin>(begin => responder = begin.Responder);
            Receive<FileWriter.Chunk>(chunk =>
            {
                parts.Enqueue(new Part(chunk.Offset, chunk.Length, chunk.ReturnsBlock, IsEnd: false, chunk.Block));
                credit.Release(chunk.Length);
            });
            Receive<FileWriter.End>(end =>
            {
                parts.Enqueue(new Part(end.Offset, end.Length, ReturnsBlock: true, IsEnd: true, end.Block));
                credit.Release(end.Length);
                responder?.Succeeded("(recorded)", 0, null, null);
            });
            Receive<FileWriter.Discard>(_ => { });
        }
    }

    [Fact]
    public async Task An_image_is_handed_off_in_parts_of_one_block_before_its_end()
    {
        using var work = new TempDirectory();
        const int pixelBytes = 600_000;
        var image = (await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 1, pixelBytes: pixelBytes)).Single();
        long datasetLength;
        using (var source = DicomReader.ReadFile(image.Path))
        {
            datasetLength = source.DatasetLength;
        }

        var parts = new ConcurrentQueue<Part>();
        var settings = new StoreSettings
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            OutputDirectory = work.Path,
            WriterProps = credit => Props.Create(() => new RecordingWriter(credit, parts)),
        };
        await using (var engine = ActorMoveEngine.Start(new ActorMoveOptions { Store = settings }))
        {
            int port = (await engine.Client.GetStorePortAsync())!.Value;
            var result = await DcmtkTool.RunAsync("storescu", ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture), image.Path]);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var received = parts.ToList();
        int blockBytes = StoreBatch.BlockBytes(settings.BufferPerAssociation);
        int handOff = StoreBatch.HandOffBytes(blockBytes);
        Assert.True(datasetLength < blockBytes, "the image must fit in one block for this test");

        // Contiguous parts of one block, each a hand-off's worth (give or take the PDV that completed it), that together
        // are the data set; the block goes back only with the end.
        Assert.True(received[^1].IsEnd);
        Assert.True(received.Count >= 3, $"{received.Count} parts");
        Assert.All(received, part => Assert.Same(received[0].Block, part.Block));
        Assert.All(received[..^1], part =>
        {
            Assert.False(part.ReturnsBlock);
            Assert.InRange(part.Length, handOff, handOff + settings.Association.MaxPduLength);
        });
        for (int i = 1; i < received.Count; i++)
        {
            Assert.Equal(received[i - 1].Offset + received[i - 1].Length, received[i].Offset);
        }

        Assert.Equal(0, received[0].Offset);
        Assert.Equal(datasetLength, received[^1].Offset + received[^1].Length);
        ArrayPool<byte>.Shared.Return(received[0].Block!);
    }

    /// <summary>Records the type of every message each writer (one per association, numbered as they start) receives.</summary>
    private sealed class MessageLog
    {
        private int _writers;

        public ConcurrentQueue<(int Writer, string Message)> Messages { get; } = new();

        public Props WriterProps(ByteCredit credit)
        {
            int writer = Interlocked.Increment(ref _writers);
            return Props.Create(() => new LoggingWriter(writer, credit, Messages));
        }

        private sealed class LoggingWriter : ReceiveActor
        {
            public LoggingWriter(int writer, ByteCredit credit, ConcurrentQueue<(int, string)> messages)
            {
                StoreResponder? responder = null;
                Receive<FileWriter.Begin>(begin =>
                {
                    messages.Enqueue((writer, "begin"));
                    responder = begin.Responder;
                });
                Receive<FileWriter.Chunk>(chunk =>
                {
                    messages.Enqueue((writer, "chunk"));
                    credit.Release(chunk.Length);
                });
                Receive<FileWriter.End>(end =>
                {
                    messages.Enqueue((writer, "end"));
                    credit.Release(end.Length);
                    responder?.Succeeded("(recorded)", 0, null, null);
                });
                Receive<FileWriter.Discard>(_ => messages.Enqueue((writer, "discard")));
            }
        }
    }

    [Fact]
    public async Task A_store_aborted_before_its_data_never_reaches_the_writer()
    {
        using var work = new TempDirectory();
        var image = (await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 1, pixelBytes: 100_000)).Single();
        var log = new MessageLog();
        var settings = new StoreSettings
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            OutputDirectory = work.Path,
            WriterProps = log.WriterProps,
        };
        await using (var engine = ActorMoveEngine.Start(new ActorMoveOptions { Store = settings }))
        {
            int port = (await engine.Client.GetStorePortAsync())!.Value;
            // A C-STORE-RQ command and no data set, then A-ABORT.
            var request = DicomAssociation.CreateRequest("MOVESCU", "BROKEN",
                [new PresentationContextProposal(1, Dump2DcmStudies.CtImageStorage, [TransferSyntax.ExplicitVRLittleEndian.Uid])]);
            var broken = await DicomAssociation.RequestAsync("127.0.0.1", port, request);
            await broken.SendMessageAsync(1, isCommand: true,
                new ReadOnlySequence<byte>(CommandSetCodec.Encode(new CStoreRequest(1, Dump2DcmStudies.CtImageStorage, "1.2.3.4.5"))));
            await broken.AbortAsync();
            await broken.DisposeAsync();

            // Then a store that completes, on an association (and writer) of its own.
            var result = await DcmtkTool.RunAsync("storescu", ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture), image.Path]);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var messages = log.Messages.ToList();
        // The aborted store's writer (the first) heard nothing: its Begin waits for the first bytes, which never came.
        Assert.DoesNotContain(messages, m => m.Writer == 1);
        var completed = messages.Where(m => m.Writer == 2).Select(m => m.Message).ToList();
        Assert.Equal("begin", completed[0]);
        Assert.Equal("end", completed[^1]);
        Assert.All(completed[1..^1], m => Assert.Equal("chunk", m));
    }
}
