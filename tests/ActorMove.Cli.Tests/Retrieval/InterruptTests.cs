using System.Diagnostics;
using System.Text;
using ActorMove.Cli.Tests.Migration;
using ActorMove.Dicom.Core;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Pdu;
using ActorMove.Network.Services;
using Xunit;

namespace ActorMove.Cli.Tests.Retrieval;

/// <summary>
/// A signal while an object is half received. SIGTERM: the object's temporary file is removed before the process ends
/// (with 143, the status of a process killed by SIGTERM), and the files already complete stay. SIGKILL, which leaves
/// the process no chance to tidy up (as after a crash or the OOM killer): the object was spooled into a file without a
/// name, so the kernel frees it and the folder holds only the complete files.
/// </summary>
public class InterruptTests
{
    [Fact]
    public async Task Sigterm_in_the_middle_of_an_object_leaves_no_temporary_file()
    {
        await InterruptHalfwayAsync("TERM", (exitCode, text) =>
        {
            Assert.True(exitCode == 143, $"exit code {exitCode}\n{text}");
            Assert.Contains("SIGTERM: stopping", text);
        });
    }

    [Fact]
    public async Task Sigkill_in_the_middle_of_an_object_leaves_no_temporary_file()
    {
        await InterruptHalfwayAsync("KILL", (exitCode, text) => Assert.True(exitCode == 137, $"exit code {exitCode}\n{text}"));
    }

    private static async Task InterruptHalfwayAsync(string signal, Action<int, string> assertEnd)
    {
        // A move that stays open (sub-operations a minute apart) after its first object, so actormove keeps listening.
        await using var bed = await MigrationTestBed.StartAsync([3], subOperationDelay: TimeSpan.FromMinutes(1));
        var output = new StringBuilder();
        using var process = MigrationTestBed.StartProcess(
            [.. bed.Arguments("INTERRUPTED"), "-k", $"StudyInstanceUID={bed.Studies[0][0].StudyInstanceUid}"], output);
        try
        {
            await PollAsync(() => Directory.GetFiles(bed.OutputFolder).Length == 1, process, output);
            string sopClass = bed.Studies[0][0].SopClassUid;

            // A store of our own that sends the start of a large data set, then nothing more.
            var request = DicomAssociation.CreateRequest(MigrationTestBed.DestinationAeTitle, "HALFWAY",
                [new PresentationContextProposal(1, sopClass, [TransferSyntax.ExplicitVRLittleEndian.Uid])]);
            await using var client = await DimseClient.ConnectAsync("127.0.0.1", bed.StorePort, request);
            using var stalled = new CancellationTokenSource();
            var storing = client.RequestAsync(1, new CStoreRequest(1, sopClass, "1.2.826.0.1.3680043.2.1143.4711"), new StallingDataSet(), cancellationToken: stalled.Token);
            // The half-received object's spool is open in the output folder, with or without a name.
            await PollAsync(() => bed.TemporaryFilesLeft().Length > 0 || UnnamedFilesOpenIn(process.Id, bed.OutputFolder) > 0, process, output);

            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            int exitCode = await MigrationTestBed.WaitForExitAsync(process, output);
            stalled.Cancel();

            assertEnd(exitCode, MigrationTestBed.Text(output));
            Assert.Empty(bed.TemporaryFilesLeft());
            Assert.Single(Directory.GetFiles(bed.OutputFolder));
            await Assert.ThrowsAnyAsync<Exception>(() => storing);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Files without a name that <paramref name="processId"/> has open in <paramref name="folder"/>: /proc shows them as "folder/#inode (deleted)".</summary>
    private static int UnnamedFilesOpenIn(int processId, string folder)
    {
        try
        {
            return new DirectoryInfo($"/proc/{processId}/fd").GetFileSystemInfos()
                .Count(fd => fd.LinkTarget is { } target && target.StartsWith(folder + "/#", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A descriptor closed while it was listed, or the process is gone.
            return 0;
        }
    }

    private static async Task PollAsync(Func<bool> condition, Process process, StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(process.HasExited, MigrationTestBed.Text(output));
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Pixel Data of 10 MB announced, 300 KB of it given, then a read that waits until it is cancelled.</summary>
    private sealed class StallingDataSet : Stream
    {
        private const int Given = 300_000;
        private static readonly byte[] Header = [0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0x80, 0x96, 0x98, 0x00];
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= Header.Length + Given)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            int count;
            if (_position < Header.Length)
            {
                count = Math.Min(buffer.Length, Header.Length - (int)_position);
                Header.AsSpan((int)_position, count).CopyTo(buffer.Span);
            }
            else
            {
                count = (int)Math.Min(buffer.Length, Header.Length + Given - _position);
                buffer.Span[..count].Clear();
            }

            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
