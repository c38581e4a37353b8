using System.Collections.Concurrent;
using System.Net;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;

namespace ActorMove.Testing.Archive;

/// <summary>What one C-MOVE the archive served came to, for tests and samples to check.</summary>
public sealed record ArchiveMoveRecord(string CallingAeTitle, string MoveDestination, ushort MessageId, ushort Status,
    int Completed, int Failed, int Warning, int Remaining, IReadOnlyList<string> FailedSopInstanceUids);

/// <summary>
/// An in-process DICOM archive on 127.0.0.1 (a free port): a C-ECHO and C-MOVE SCP built on ActorMove's own network
/// layer that serves a folder of files, sending C-MOVE sub-operations to the AE titles of its destination map.
/// Patient Root, Study Root and Patient/Study Only MOVE are served; their FIND contexts are accepted but a C-FIND aborts
/// the association (the archive does not answer queries).
/// </summary>
public sealed class TestArchive : IAsyncDisposable
{
    private readonly AssociationListener _listener;
    private readonly ConcurrentDictionary<string, ArchiveDestination> _destinations;
    private readonly ConcurrentQueue<ArchiveMoveRecord> _moves = new();
    private readonly ConcurrentQueue<Exception> _failures = new();

    private TestArchive(TestArchiveOptions options, IReadOnlyList<ArchivedInstance> instances)
    {
        Options = options;
        Instances = instances;
        _destinations = new ConcurrentDictionary<string, ArchiveDestination>(options.Destinations, StringComparer.Ordinal);
        _listener = AssociationListener.Start(new IPEndPoint(IPAddress.Loopback, 0), Decide, ServeAsync, options.Association,
            (e, _) => _failures.Enqueue(e));
    }

    public TestArchiveOptions Options { get; }

    public string AeTitle => Options.AeTitle;

    public string Host => "127.0.0.1";

    public int Port => _listener.Port;

    /// <summary>The files served, indexed at start.</summary>
    public IReadOnlyList<ArchivedInstance> Instances { get; }

    /// <summary>Every C-MOVE served so far, in the order they finished.</summary>
    public IReadOnlyList<ArchiveMoveRecord> Moves => _moves.ToArray();

    /// <summary>Associations that failed: rejected ones, aborts, protocol errors (for diagnosing a failed test).</summary>
    public IReadOnlyList<Exception> Failures => _failures.ToArray();

    /// <summary>Indexes <see cref="TestArchiveOptions.Folder"/> and starts listening.</summary>
    public static async Task<TestArchive> StartAsync(TestArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(options.Folder))
        {
            throw new DirectoryNotFoundException($"The archive folder {options.Folder} does not exist");
        }

        var instances = await Task.Run(() => ArchivedInstance.IndexFolder(options.Folder)).ConfigureAwait(false);
        return new TestArchive(options, instances);
    }

    /// <summary>Adds or replaces a move destination while the archive runs.</summary>
    public void MapDestination(string aeTitle, string host, int port) => _destinations[aeTitle] = new ArchiveDestination(host, port);

    internal bool TryGetDestination(string aeTitle, out ArchiveDestination destination) =>
        _destinations.TryGetValue(aeTitle, out destination!);

    internal void Record(ArchiveMoveRecord move) => _moves.Enqueue(move);

    internal void ReportFailure(Exception failure) => _failures.Enqueue(failure);

    /// <summary>The contexts the archive serves: Verification, and each model's FIND and MOVE SOP classes.</summary>
    public static IReadOnlySet<string> ServedSopClasses { get; } = new HashSet<string>(
        Enum.GetValues<QueryRetrieveModel>()
            .SelectMany(m => new[] { MoveAssociationProposals.FindSopClass(m), MoveAssociationProposals.MoveSopClass(m) })
            .Append(DimseMessage.VerificationSopClassUid),
        StringComparer.Ordinal);

    private static readonly string[] AcceptableTransferSyntaxes =
        [TransferSyntaxUids.ExplicitVRLittleEndian, TransferSyntaxUids.ImplicitVRLittleEndian, TransferSyntaxUids.ExplicitVRBigEndian];

    private AssociateDecision Decide(AssociateRequest request)
    {
        if (!Options.AcceptAnyCalledAeTitle && request.CalledAeTitle.Trim() != Options.AeTitle)
        {
            return AssociateDecision.Reject(RejectResult.Permanent, RejectReasonServiceUser.CalledAeTitleNotRecognized);
        }

        var results = new List<PresentationContextResult>();
        foreach (var proposal in request.PresentationContexts)
        {
            if (!ServedSopClasses.Contains(proposal.AbstractSyntax) || Options.RefusedSopClasses.Contains(proposal.AbstractSyntax))
            {
                results.Add(new PresentationContextResult(proposal.Id, PresentationContextResultReason.AbstractSyntaxNotSupported,
                    TransferSyntaxUids.ImplicitVRLittleEndian));
                continue;
            }

            // Our preference order, like dcmqrscp: explicit little endian first.
            string? chosen = AcceptableTransferSyntaxes.FirstOrDefault(ts => proposal.TransferSyntaxes.Contains(ts));
            results.Add(chosen is null
                ? new PresentationContextResult(proposal.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, TransferSyntaxUids.ImplicitVRLittleEndian)
                : new PresentationContextResult(proposal.Id, PresentationContextResultReason.Acceptance, chosen));
        }

        return AssociateDecision.Accept(results);
    }

    private int _associations;

    /// <summary>Move associations accepted so far (a client that keeps one open for several moves counts once).</summary>
    public int AssociationsAccepted => Volatile.Read(ref _associations);

    private Task ServeAsync(DicomAssociation association, CancellationToken stopping)
    {
        Interlocked.Increment(ref _associations);
        return MoveScp.ServeAsync(this, association, stopping);
    }

    /// <summary>Stops listening, ends running moves and closes their associations.</summary>
    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
