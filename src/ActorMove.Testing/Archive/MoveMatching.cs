using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Network.Negotiation;

namespace ActorMove.Testing.Archive;

/// <summary>The levels of a query/retrieve information model, top down.</summary>
public enum QueryRetrieveLevel
{
    Patient,
    Study,
    Series,
    Image,
}

/// <summary>
/// Selects the instances a C-MOVE identifier names, the way dcmqrscp matches (observed with DCMTK 3.6.7): every level of
/// the model above the query level must carry its unique key, and the instance must match it; at the query level a
/// missing or empty key matches everything; keys below the query level are ignored. A unique key may be a backslash
/// separated list of values. A level the model does not have (SERIES in Patient/Study Only, PATIENT in Study Root)
/// matches nothing, as dcmqrscp answers such a request with success and no sub-operations.
/// </summary>
public static class MoveMatching
{
    /// <summary>The level named by (0008,0052), or null when it is missing or not one of PATIENT, STUDY, SERIES, IMAGE.</summary>
    public static QueryRetrieveLevel? LevelOf(DicomDataset identifier) =>
        identifier.GetString(DicomTags.QueryRetrieveLevel)?.Trim() switch
        {
            "PATIENT" => QueryRetrieveLevel.Patient,
            "STUDY" => QueryRetrieveLevel.Study,
            "SERIES" => QueryRetrieveLevel.Series,
            "IMAGE" => QueryRetrieveLevel.Image,
            _ => null,
        };

    public static IReadOnlyList<QueryRetrieveLevel> LevelsOf(QueryRetrieveModel model) => model switch
    {
        QueryRetrieveModel.PatientRoot => [QueryRetrieveLevel.Patient, QueryRetrieveLevel.Study, QueryRetrieveLevel.Series, QueryRetrieveLevel.Image],
        QueryRetrieveModel.StudyRoot => [QueryRetrieveLevel.Study, QueryRetrieveLevel.Series, QueryRetrieveLevel.Image],
        QueryRetrieveModel.PatientStudyOnly => [QueryRetrieveLevel.Patient, QueryRetrieveLevel.Study],
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    public static DicomTag UniqueKeyOf(QueryRetrieveLevel level) => level switch
    {
        QueryRetrieveLevel.Patient => DicomTags.PatientID,
        QueryRetrieveLevel.Study => DicomTags.StudyInstanceUID,
        QueryRetrieveLevel.Series => DicomTags.SeriesInstanceUID,
        QueryRetrieveLevel.Image => DicomTags.SOPInstanceUID,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The model's MOVE (or FIND) SOP class UID back to the model; null for anything else.</summary>
    public static QueryRetrieveModel? ModelOf(string sopClassUid)
    {
        foreach (var model in Enum.GetValues<QueryRetrieveModel>())
        {
            if (MoveAssociationProposals.MoveSopClass(model) == sopClassUid || MoveAssociationProposals.FindSopClass(model) == sopClassUid)
            {
                return model;
            }
        }

        return null;
    }

    /// <summary>The instances the identifier selects, in archive order.</summary>
    public static IReadOnlyList<ArchivedInstance> Select(IEnumerable<ArchivedInstance> instances, QueryRetrieveModel model,
        QueryRetrieveLevel level, DicomDataset identifier)
    {
        var levels = LevelsOf(model).ToArray();
        int queryIndex = Array.IndexOf(levels, level);
        if (queryIndex < 0)
        {
            return [];
        }

        var criteria = new List<(QueryRetrieveLevel Level, HashSet<string> Values)>();
        for (int i = 0; i <= queryIndex; i++)
        {
            string[] values = SplitValues(identifier.GetString(UniqueKeyOf(levels[i])));
            if (values.Length == 0)
            {
                if (i < queryIndex)
                {
                    // dcmqrscp: "No UID Key found at level n", the request matches nothing.
                    return [];
                }

                continue;
            }

            criteria.Add((levels[i], values.ToHashSet(StringComparer.Ordinal)));
        }

        return instances.Where(instance => criteria.All(c => c.Values.Contains(KeyOf(instance, c.Level)))).ToArray();
    }

    private static string[] SplitValues(string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : value.Split('\\').Select(v => v.Trim(' ', '\0')).Where(v => v.Length > 0).ToArray();

    private static string KeyOf(ArchivedInstance instance, QueryRetrieveLevel level) => level switch
    {
        QueryRetrieveLevel.Patient => instance.PatientId,
        QueryRetrieveLevel.Study => instance.StudyInstanceUid,
        QueryRetrieveLevel.Series => instance.SeriesInstanceUid,
        QueryRetrieveLevel.Image => instance.SopInstanceUid,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}
