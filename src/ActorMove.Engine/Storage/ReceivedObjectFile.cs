using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using Microsoft.Win32.SafeHandles;

namespace ActorMove.Engine.Storage;

/// <summary>How received objects are written: movescu's output options.</summary>
/// <param name="BitPreserving">+B: the received data set bytes exactly, behind a meta header.</param>
/// <param name="Write">The conversion options (+t?, +F/-F, +u/-u, +g?, +e/-e, -p/+p, +cl) used without +B.</param>
public sealed record StoreOutputOptions(bool BitPreserving, DicomWriteOptions Write)
{
    public static StoreOutputOptions Default { get; } = new(false, DicomWriteOptions.Default);
}

/// <summary>
/// A finished object: its size on disk and, when the data set was parsed (not under +B), the study and series it belongs
/// to and its own SOP class and instance UIDs (<see cref="Parsed"/>).
/// </summary>
public sealed record CompletedObject(long Bytes, string? StudyInstanceUid, string? SeriesInstanceUid, bool Parsed = false,
    string? SopClassUid = null, string? SopInstanceUid = null);

/// <summary>
/// One object arriving over the network, written so that its final name only ever holds a complete file:
/// the data set bytes are spooled as they arrive into a file in the same folder that has no name yet (an object is only
/// ever held in memory as far as its last block goes, see <see cref="StoreBatch"/>), rewritten with the output options
/// only when that changes a byte, then given its final name. Where the file system cannot make unnamed files
/// (<see cref="UnnamedFiles"/>), the spool and the converted file have temporary names instead. Any failure, or
/// <see cref="Discard"/>, leaves no temporary file; with unnamed files, neither does a process killed midway.
/// </summary>
public sealed class ReceivedObjectFile : IDisposable
{
    private const string SpoolSuffix = ".partial";
    private const string ConvertedSuffix = ".converted";
    private const int ConvertedBufferSize = 64 * 1024;
    private static readonly string ProcessTag = Guid.NewGuid().ToString("N")[..8];
    private static long s_storesStarted;

    private readonly FileMetaInformation _meta;
    private readonly StoreOutputOptions _options;
    private readonly string _spoolPath;
    private readonly string _convertedPath;
    private readonly byte[]? _spooledMeta;
    private readonly bool _unnamedFiles;
    private readonly bool _spoolUnnamed;
    private SafeFileHandle? _spool;
    private SafeFileHandle? _spoolToClose;
    private bool _finished;

    /// <param name="finalPath">Where the complete file goes (see <see cref="OutputFileNames"/>).</param>
    /// <param name="meta">Meta information naming the received transfer syntax.</param>
    public ReceivedObjectFile(string finalPath, FileMetaInformation meta, StoreOutputOptions options)
        : this(finalPath, meta, options, unnamedFiles: true)
    {
    }

    /// <param name="unnamedFiles">False: temporary names even where unnamed files work (the fallback, for its tests).</param>
    internal ReceivedObjectFile(string finalPath, FileMetaInformation meta, StoreOutputOptions options, bool unnamedFiles)
    {
        FinalPath = finalPath;
        _meta = meta;
        _options = options;
        // Temporary names are unique per store, so two associations delivering the same object at once (a repeated
        // move, a resent instance) never write into each other's file; the last complete one wins the final name. A
        // random tag per process (another process may write into the same folder) and a counter: a random number per
        // store was a read of the kernel's random source on every object's way to its response.
        long store = Interlocked.Increment(ref s_storesStarted);
        string unique = $".{ProcessTag}-{store:x}";
        _spoolPath = finalPath + unique + SpoolSuffix;
        _convertedPath = finalPath + unique + ConvertedSuffix;
        // A named spool: CreateNew, not Create: the name is unique, and truncating a file (which Create does) makes
        // ext4 write it out to disk as soon as it is closed (auto_da_alloc), a synchronous flush per object. Either way a
        // bare handle written at known offsets: no stream buffer to copy through, and no size query or read-ahead
        // advice, which were system calls on every object's way to its response.
        _unnamedFiles = unnamedFiles;
        _spool = unnamedFiles ? UnnamedFiles.TryCreate(Folder) : null;
        _spoolUnnamed = _spool is not null;
        _spool ??= File.OpenHandle(_spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        if (!options.BitPreserving || options.Write.WriteFileFormat)
        {
            // Without +B the spool is a complete Part 10 file too, so the reader finds the syntax (and inflates) as usual.
            var encodedMeta = meta.Encode();
            FileWrites.WriteAt(_spool, SpoolName, encodedMeta, 0);
            _spooledMeta = encodedMeta;
        }
    }

    public string FinalPath { get; }

    /// <summary>
    /// The most files one object holds open at once: without +B the spool and the reader's handle on it (an unnamed
    /// spool stays open while it is read, or it would be gone), a deflated object's inflated copy and the converted file;
    /// with +B the spool alone. The store port's connection limit counts them.
    /// </summary>
    public static int MostFilesOpen(StoreOutputOptions options) => options.BitPreserving ? 1 : 4;

    /// <summary>The meta information the file is written with: the request's SOP class and instance.</summary>
    public FileMetaInformation Meta => _meta;

    /// <summary>Whether a file already had the final name, and this one replaced it.</summary>
    public bool Replaced { get; private set; }

    /// <summary>Data set bytes received so far.</summary>
    public long ReceivedBytes { get; private set; }

    /// <summary>Appends the next received bytes of the data set.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var spool = _spool ?? throw new InvalidOperationException("The object is already complete or discarded.");
        FileWrites.WriteAt(spool, SpoolName, bytes, SpooledBytes);
        ReceivedBytes += bytes.Length;
    }

    private string Folder => Path.GetDirectoryName(Path.GetFullPath(FinalPath))!;

    /// <summary>What messages call the spool: its temporary name, or for an unnamed one the name it is to have.</summary>
    private string SpoolName => _spoolUnnamed ? FinalPath : _spoolPath;

    /// <summary>The spool's length: its meta header, if any, and the data set bytes received so far.</summary>
    private long SpooledBytes => (_spooledMeta?.Length ?? 0) + ReceivedBytes;

    /// <summary>
    /// Finishes the file when <paramref name="dataset"/> holds everything appended so far (an object that fit in one
    /// block on its way here): any conversion is then judged, and done, from memory, without reading the spool back.
    /// </summary>
    public CompletedObject Complete(ReadOnlyMemory<byte> dataset)
    {
        if (dataset.Length != ReceivedBytes)
        {
            throw new ArgumentException($"{dataset.Length} bytes given for the {ReceivedBytes} appended", nameof(dataset));
        }

        if (_spooledMeta is not null && !_options.BitPreserving && TransferSyntax.Lookup(_meta.TransferSyntaxUid) is { IsDeflated: false } syntax)
        {
            return CompleteInMemory(dataset, syntax);
        }

        return Complete();
    }

    private CompletedObject CompleteInMemory(ReadOnlyMemory<byte> dataset, TransferSyntax syntax)
    {
        var spool = _spool ?? throw new InvalidOperationException("The object is already complete or discarded.");
        try
        {
            var parsed = DicomReader.ReadDataset(dataset, syntax);
            var comparison = new ComparingStream(_spooledMeta, dataset);
            DicomWriter.WriteFile(comparison, _meta, parsed, _options.Write);
            // Renamed while still open, and closed by Dispose once the store has been answered: closing is one more
            // system call between the last byte and the C-STORE-RSP, and nothing here needs the handle closed first.
            _spool = null;
            _spoolToClose = spool;
            long size = Finish(spool, comparison.MatchesAll, SpooledBytes, _meta, parsed);
            return Completed(size, parsed);
        }
        catch
        {
            Discard();
            throw;
        }
    }

    /// <summary>Finishes the file under its final name; on failure nothing is left behind.</summary>
    public CompletedObject Complete()
    {
        var spool = _spool ?? throw new InvalidOperationException("The object is already complete or discarded.");
        try
        {
            _spool = null;
            if (_spoolUnnamed)
            {
                // Closed once named or dropped: closing it now would free it.
                _spoolToClose = spool;
            }
            else
            {
                spool.Dispose();
            }

            if (_options.BitPreserving)
            {
                Replaced = Publish(spool, _spoolUnnamed, _spoolPath);
                _finished = true;
                return new CompletedObject(SpooledBytes, null, null);
            }

            return Convert(spool, SpooledBytes);
        }
        catch
        {
            Discard();
            throw;
        }
    }

    /// <summary>
    /// Parses the spooled object and writes it with the output options, unless that would reproduce the spool byte for
    /// byte (the common case: same syntax, explicit lengths, group lengths right), in which case the spool is the file.
    /// </summary>
    private CompletedObject Convert(SafeFileHandle spool, long spooledBytes)
    {
        string readPath = _spoolUnnamed ? UnnamedFiles.PathOf(spool) : _spoolPath;
        using var received = DicomReader.ReadFile(readPath, new DicomReadOptions { Mode = DicomReadMode.FileOnly, TemporaryDirectory = Path.GetDirectoryName(FinalPath) });
        var meta = _meta with { TransferSyntaxUid = received.TransferSyntax.Uid };
        // Against the spool's bytes as the reader holds them open (for a deflated object, the deflated bytes).
        var comparison = new ComparingStream(received.Source ?? throw new InvalidOperationException("The reader kept no source."), spooledBytes);
        DicomWriter.WriteFile(comparison, meta, received.Dataset, _options.Write);
        long size = Finish(spool, comparison.MatchesAll, spooledBytes, meta, received.Dataset);
        return Completed(size, received.Dataset);
    }

    private static CompletedObject Completed(long size, DicomDataset dataset) =>
        new(size, dataset.GetString(DicomTags.StudyInstanceUID), dataset.GetString(DicomTags.SeriesInstanceUID), Parsed: true,
            dataset.GetString(DicomTags.SOPClassUID), dataset.GetString(DicomTags.SOPInstanceUID));

    /// <summary>
    /// Gives the spool its final name when it already is the file the options ask for; otherwise writes that file
    /// (unnamed, or under the temporary converted name) first, names it and drops the spool. Returns the final file's size.
    /// </summary>
    private long Finish(SafeFileHandle spool, bool spoolIsTheFile, long spooledBytes, FileMetaInformation meta, DicomDataset dataset)
    {
        if (spoolIsTheFile)
        {
            Replaced = Publish(spool, _spoolUnnamed, _spoolPath);
            _finished = true;
            return spooledBytes;
        }

        long size;
        var unnamed = _unnamedFiles ? UnnamedFiles.TryCreate(Folder) : null;
        using (var converted = unnamed ?? File.OpenHandle(_convertedPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            var file = new AppendingFileStream(converted, unnamed is null ? _convertedPath : FinalPath);
            // The encoder writes in large pieces, the deflater (+td) in 8 KiB ones; large writes pass straight through.
            using (var output = new BufferedStream(file, ConvertedBufferSize))
            {
                DicomWriter.WriteFile(output, meta, dataset, _options.Write);
            }

            size = file.Length;
            if (unnamed is not null)
            {
                // Named while open: closed, it would be gone.
                Replaced = UnnamedFiles.Publish(unnamed, FinalPath, _convertedPath);
            }
        }

        if (unnamed is null)
        {
            Replaced = FinalNames.Publish(_convertedPath, FinalPath);
        }

        _finished = true;
        if (!_spoolUnnamed)
        {
            TryDelete(_spoolPath);
        }

        return size;
    }

    /// <summary>
    /// Gives a finished file its final name: an unnamed one is linked there (through <paramref name="temporaryPath"/>
    /// when the name is taken), a named one is renamed from <paramref name="temporaryPath"/>.
    /// </summary>
    private bool Publish(SafeFileHandle file, bool unnamed, string temporaryPath) =>
        unnamed ? UnnamedFiles.Publish(file, FinalPath, temporaryPath) : FinalNames.Publish(temporaryPath, FinalPath);

    /// <summary>Drops everything written so far (a failed or aborted store).</summary>
    public void Discard()
    {
        _spool?.Dispose();
        _spool = null;
        _spoolToClose?.Dispose();
        _spoolToClose = null;
        if (!_finished)
        {
            TryDelete(_spoolPath);
            TryDelete(_convertedPath);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the store already failed and reports that; a leftover temporary name is never a final name.
        }
    }

    public void Dispose() => Discard();
}
