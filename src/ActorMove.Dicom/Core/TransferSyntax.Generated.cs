// Placeholder until the dictionary generator writes this file from uids.tsv.
namespace ActorMove.Dicom.Core;

public sealed partial class TransferSyntax
{
    private static partial IEnumerable<TransferSyntax> Generated() => [];
}
