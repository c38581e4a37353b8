using System.Collections.Frozen;
using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Text;

/// <summary>
/// The names DCMTK 3.6.7 prints for UIDs in its dumps (dcmdump, movescu -v): they are DCMTK's own, not the PS3.6
/// keywords ("LittleEndianExplicit" for ExplicitVRLittleEndian), so the tables are read off dcmdump rather than derived.
/// </summary>
public static partial class DcmtkNames
{
    private static readonly FrozenDictionary<string, string> UidNames =
        CreateUidNames().ToFrozenDictionary(row => row.Uid, row => row.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> TransferSyntaxNames =
        CreateTransferSyntaxNames().ToFrozenDictionary(row => row.Uid, row => row.Name, StringComparer.Ordinal);

    /// <summary>What dcmdump prints for a transfer syntax it does not know (seen on a meta header without one).</summary>
    public const string UnknownTransferSyntax = "Unknown Transfer Syntax";

    /// <summary>The name a UI value is shown by ("=Name"), or null when dcmdump shows the UID itself.</summary>
    public static string? UidName(string uid) => UidNames.GetValueOrDefault(uid.TrimEnd('\0', ' '));

    /// <summary>The name in dcmdump's "# Used TransferSyntax: " line.</summary>
    public static string TransferSyntaxName(TransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return TransferSyntaxNames.GetValueOrDefault(syntax.Uid) ?? UnknownTransferSyntax;
    }
}
