using System.Net;
using ActorMove.Engine.AccessControl;
using ActorMove.Engine.Storage;
using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;

namespace ActorMove.Engine.Retrieve;

/// <summary>How the store port (+P) listens, negotiates and writes: movescu's incoming-association and output options.</summary>
public sealed record StoreSettings
{
    /// <summary>Where to listen; port 0 picks a free one (tests). movescu's +P n listens on every address: <c>new IPEndPoint(IPAddress.IPv6Any, n)</c>.</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>+x=, +xe, ... +xa.</summary>
    public IncomingTransferSyntaxPreference Preference { get; init; } = IncomingTransferSyntaxPreference.ExplicitLocalByteOrder;

    /// <summary>Accept every storage class of the dictionary instead of movescu's list.</summary>
    public bool AcceptAllStorageClasses { get; init; }

    /// <summary>-od: an existing folder.</summary>
    public string OutputDirectory { get; init; } = ".";

    public StoreOutputOptions Output { get; init; } = StoreOutputOptions.Default;

    /// <summary>--ignore: receive, answer success, write nothing.</summary>
    public bool IgnoreData { get; init; }

    /// <summary>Bytes an association may hold between its socket and its writer.</summary>
    public long BufferPerAssociation { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Inbound associations served at once; further ones wait in the kernel's backlog until one ends. Null: as many as
    /// the process's file descriptor limit leaves room for, at <see cref="DescriptorsPerAssociation"/> each.
    /// </summary>
    public int? MaxAssociations { get; init; }

    /// <summary>What one association holds while it stores: its socket and the files of the object it receives.</summary>
    public int DescriptorsPerAssociation => 1 + (IgnoreData ? 0 : ReceivedObjectFile.MostFilesOpen(Output));

    /// <summary>
    /// The application reports a store port that cannot be opened itself (from <c>GetStorePortAsync</c>), as the command
    /// line does in movescu's one line; the engine then logs it at debug level only, instead of as an error.
    /// </summary>
    public bool ListenFailureReportedByCaller { get; init; }

    /// <summary>+ac: host access rules; null accepts every host (-ac).</summary>
    public HostAccessRules? AccessControl { get; init; }

    /// <summary>Replaces the <see cref="Actors.FileWriter"/> of each association (tests: a deliberately slow writer).</summary>
    internal Func<Storage.ByteCredit, Akka.Actor.Props>? WriterProps { get; init; }

    /// <summary>
    /// Where movescu -v's progress goes: "RECV: " and a dot for each PDV of the data set, one line per object received
    /// (written whole once the object is in, so that lines of concurrent associations do not mix). Null: none.
    /// </summary>
    public TextWriter? ReceiveProgress { get; init; }

    /// <summary>Max PDU, timeouts and host lookup (-dhl) of inbound associations.</summary>
    public AssociationOptions Association { get; init; } = AssociationOptions.Default;
}
