using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Engine.Retrieve;

/// <summary>What an inbound C-STORE tells about the move it belongs to.</summary>
/// <param name="MoveOriginatorAeTitle">(0000,1030), when the archive sent it.</param>
/// <param name="MoveOriginatorMessageId">(0000,1031), when the archive sent it.</param>
public sealed record StoreOrigin(
    string? MoveOriginatorAeTitle,
    ushort? MoveOriginatorMessageId,
    string SopInstanceUid,
    string? StudyInstanceUid,
    string? SeriesInstanceUid);

/// <summary>
/// Attributes inbound stores to the move that caused them. The Move Originator Message ID is exact because the
/// engine never reuses a message ID among running jobs; archives that leave it out are matched by the job's
/// identifier keys; anything else is unsolicited (counted, never dropped).
/// </summary>
public sealed class StoreCorrelator
{
    private readonly Dictionary<ushort, RunningJob> _byMessageId = [];

    private sealed record RunningJob(long JobId, string CallingAeTitle, string? StudyUid, string? SeriesUid, string? SopInstanceUid);

    private static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    public int RunningJobs => _byMessageId.Count;

    public void Register(long jobId, ushort messageId, string callingAeTitle, DicomDataset identifier)
    {
        if (!_byMessageId.TryAdd(messageId, new RunningJob(jobId, callingAeTitle.Trim(),
                identifier.GetString(StudyInstanceUid), identifier.GetString(SeriesInstanceUid), identifier.GetString(SopInstanceUid))))
        {
            throw new InvalidOperationException($"Message ID {messageId} is already used by a running move");
        }
    }

    public void Unregister(ushort messageId) => _byMessageId.Remove(messageId);

    /// <summary>The job the store belongs to, or null when it is unsolicited.</summary>
    public long? Attribute(StoreOrigin origin)
    {
        if (origin.MoveOriginatorMessageId is { } messageId && _byMessageId.TryGetValue(messageId, out var job)
            && (origin.MoveOriginatorAeTitle is null || string.Equals(origin.MoveOriginatorAeTitle.Trim(), job.CallingAeTitle, StringComparison.Ordinal)))
        {
            return job.JobId;
        }

        // Without an exact originator, only an unambiguous key match counts: two jobs for the same study
        // cannot be told apart, and guessing would put files into the wrong job's report.
        long? match = null;
        foreach (var candidate in _byMessageId.Values)
        {
            if (Matches(candidate.SopInstanceUid, origin.SopInstanceUid)
                || Matches(candidate.SeriesUid, origin.SeriesInstanceUid)
                || Matches(candidate.StudyUid, origin.StudyInstanceUid))
            {
                if (match is not null)
                {
                    return null;
                }

                match = candidate.JobId;
            }
        }

        return match;
    }

    /// <summary>A key matches when the job asked for exactly that UID (a UID list or wildcard selects nothing here).</summary>
    private static bool Matches(string? asked, string? received) =>
        !string.IsNullOrEmpty(asked) && received is not null && !asked.Contains('\\') && !asked.Contains('*')
        && string.Equals(asked, received, StringComparison.Ordinal);
}
