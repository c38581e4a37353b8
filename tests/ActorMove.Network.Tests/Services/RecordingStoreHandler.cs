using System.Buffers;
using System.Collections.Concurrent;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Network.Dimse;
using ActorMove.Network.Services;

namespace ActorMove.Network.Tests.Services;

/// <summary>A store handler for tests: writes each received object as a Part 10 file (meta + the data set bytes exactly as received).</summary>
internal sealed class RecordingStoreHandler(string folder) : IStoreHandler
{
    public ConcurrentQueue<(StoreRequestContext Context, string Path)> Stored { get; } = new();

    public int Aborted;

    public ValueTask<IStoreTarget> BeginStoreAsync(StoreRequestContext request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IStoreTarget>(new Target(this, request, Path.Combine(folder, request.Request.AffectedSopInstanceUid + ".dcm")));

    private sealed class Target : IStoreTarget
    {
        private readonly RecordingStoreHandler _owner;
        private readonly StoreRequestContext _request;
        private readonly string _path;
        private readonly FileStream _file;

        public Target(RecordingStoreHandler owner, StoreRequestContext request, string path)
        {
            _owner = owner;
            _request = request;
            _path = path;
            _file = File.Create(path);
            _file.Write(new FileMetaInformation
            {
                MediaStorageSopClassUid = request.Request.AffectedSopClassUid,
                MediaStorageSopInstanceUid = request.Request.AffectedSopInstanceUid,
                TransferSyntaxUid = request.TransferSyntax.Uid,
            }.Encode());
        }

        public async ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            foreach (var segment in fragment)
            {
                await _file.WriteAsync(segment, cancellationToken);
            }
        }

        public async ValueTask<ushort> CompleteAsync(CancellationToken cancellationToken)
        {
            await _file.DisposeAsync();
            _owner.Stored.Enqueue((_request, _path));
            return DimseStatus.Success;
        }

        public async ValueTask AbortAsync()
        {
            await _file.DisposeAsync();
            File.Delete(_path);
            Interlocked.Increment(ref _owner.Aborted);
        }
    }
}
