using ActorMove.Dicom;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;

namespace ActorMove.Network.Services;

/// <summary>Builds the requests of the SCU services (C-MOVE as movescu sends it, C-STORE and C-ECHO) on a <see cref="DimseClient"/>.</summary>
public static class ServiceRequests
{
    /// <summary>movescu's A-ASSOCIATE-RQ for a C-MOVE: the model's FIND and MOVE contexts with the -x proposal.</summary>
    public static AssociateRequest MoveAssociation(string calledAeTitle, string callingAeTitle, QueryRetrieveModel model,
        OutgoingTransferSyntaxProposal proposal, AssociationOptions? options = null) =>
        DicomAssociation.CreateRequest(calledAeTitle, callingAeTitle, MoveAssociationProposals.For(model, proposal).Select(p => p.ToPdu()), options);

    /// <summary>Encodes a C-MOVE identifier (or any small data set) as a bare data set in the negotiated syntax.</summary>
    public static byte[] EncodeDataSet(DicomDataset dataset, TransferSyntax sourceSyntax, TransferSyntax targetSyntax)
    {
        using var buffer = new MemoryStream();
        DicomWriter.WriteDataset(buffer, dataset, sourceSyntax,
            DicomWriteOptions.Default with { TargetSyntax = targetSyntax, WriteFileFormat = false, Padding = PaddingMode.Retain });
        return buffer.ToArray();
    }

    /// <summary>
    /// Sends a C-MOVE-RQ on the model's MOVE context and returns the final response; pending ones go to <paramref name="onPending"/>.
    /// Throws <see cref="NoAcceptedPresentationContextException"/> when the peer accepted no MOVE context for the model.
    /// </summary>
    public static Task<DimseReply> MoveAsync(this DimseClient client, ushort messageId, QueryRetrieveModel model, string moveDestination,
        DicomDataset identifier, TransferSyntax identifierSyntax, Func<DimseReply, ValueTask>? onPending = null, CancellationToken cancellationToken = default)
    {
        string sopClass = MoveAssociationProposals.MoveSopClass(model);
        byte context = client.Session.FindAcceptedContext(sopClass)
                       ?? throw new NoAcceptedPresentationContextException(sopClass,
                           noneAccepted: !client.Session.Association.Accept.PresentationContexts.Any(pc => pc.Result == PresentationContextResultReason.Acceptance));
        byte[] encoded = EncodeDataSet(identifier, identifierSyntax, client.Session.TransferSyntaxOf(context));
        return client.RequestAsync(context, new CMoveRequest(messageId, sopClass, moveDestination), encoded, onPending, cancellationToken);
    }

    /// <summary>C-CANCEL-RQ for an outstanding C-MOVE.</summary>
    public static ValueTask CancelMoveAsync(this DimseClient client, ushort messageId, QueryRetrieveModel model, CancellationToken cancellationToken = default)
    {
        string sopClass = MoveAssociationProposals.MoveSopClass(model);
        byte context = client.Session.FindAcceptedContext(sopClass) ?? throw new NoAcceptedPresentationContextException(sopClass);
        return client.SendAsync(context, new CCancelRequest(messageId), cancellationToken);
    }

    /// <summary>C-ECHO on the Verification context.</summary>
    public static async Task<ushort> EchoAsync(this DimseClient client, ushort messageId, CancellationToken cancellationToken = default)
    {
        byte context = client.Session.FindAcceptedContext(DimseMessage.VerificationSopClassUid)
                       ?? throw new NoAcceptedPresentationContextException(DimseMessage.VerificationSopClassUid);
        var reply = await client.RequestAsync(context, new CEchoRequest(messageId), dataSet: (ReadOnlyMemory<byte>?)null, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.Response.Status;
    }

    /// <summary>
    /// C-STORE of a DICOM file. The data set is streamed from the file as it is when a context with the file's own syntax
    /// was accepted; otherwise it is converted through a temporary file first. Returns the C-STORE-RSP status.
    /// </summary>
    public static async Task<ushort> StoreFileAsync(this DimseClient client, ushort messageId, string path, string? moveOriginatorAeTitle = null,
        ushort? moveOriginatorMessageId = null, CancellationToken cancellationToken = default)
    {
        using var file = DicomReader.ReadFile(path);
        string sopClass = file.Meta.GetString(new DicomTag(0x0002, 0x0002)) ?? file.Dataset.GetString(new DicomTag(0x0008, 0x0016))
                          ?? throw new DicomFormatException($"{path} names no SOP class", 0);
        string sopInstance = file.Meta.GetString(new DicomTag(0x0002, 0x0003)) ?? file.Dataset.GetString(new DicomTag(0x0008, 0x0018))
                             ?? throw new DicomFormatException($"{path} names no SOP instance", 0);
        byte context = FindStoreContext(client.Session, sopClass, file.TransferSyntax)
                       ?? throw new NoAcceptedPresentationContextException(sopClass);
        var request = new CStoreRequest(messageId, sopClass, sopInstance)
        {
            MoveOriginatorAeTitle = moveOriginatorAeTitle,
            MoveOriginatorMessageId = moveOriginatorMessageId,
        };

        var accepted = client.Session.TransferSyntaxOf(context);
        Stream dataSet;
        if (accepted.Equals(file.TransferSyntax))
        {
            var whole = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            whole.Position = file.DatasetOffset;
            dataSet = whole;
        }
        else
        {
            dataSet = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            DicomWriter.WriteDataset(dataSet, file.Dataset, file.TransferSyntax,
                DicomWriteOptions.Default with { TargetSyntax = accepted, WriteFileFormat = false, Padding = PaddingMode.Retain });
            dataSet.Position = 0;
        }

        await using (dataSet.ConfigureAwait(false))
        {
            var reply = await client.RequestAsync(context, request, dataSet, null, cancellationToken).ConfigureAwait(false);
            return reply.Response.Status;
        }
    }

    private static byte? FindStoreContext(DimseSession session, string sopClass, TransferSyntax preferred)
    {
        byte? any = null;
        foreach (var proposal in session.Association.Request.PresentationContexts)
        {
            if (proposal.AbstractSyntax != sopClass || !session.AcceptedContextIds.Contains(proposal.Id))
            {
                continue;
            }

            if (session.TransferSyntaxOf(proposal.Id).Equals(preferred))
            {
                return proposal.Id;
            }

            // Converting away from an encapsulated syntax is impossible, so only uncompressed alternatives qualify.
            if (!preferred.IsEncapsulated)
            {
                any ??= proposal.Id;
            }
        }

        return any;
    }
}

/// <summary>The peer accepted no presentation context for the SOP class a request needs (movescu exit code 66).</summary>
/// <param name="noneAccepted">The peer accepted no context at all, not only none for this SOP class.</param>
public sealed class NoAcceptedPresentationContextException(string sopClassUid, bool noneAccepted = false)
    : DicomAssociationException($"No presentation context for {sopClassUid} was accepted")
{
    public string SopClassUid { get; } = sopClassUid;

    public bool NoneAccepted { get; } = noneAccepted;
}
