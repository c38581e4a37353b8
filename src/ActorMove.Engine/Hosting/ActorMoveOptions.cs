using System.Net;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Association;

namespace ActorMove.Engine.Hosting;

/// <summary>What the engine is started with: how it moves, and how (and whether) it listens for the stores.</summary>
public sealed record ActorMoveOptions
{
    public MoveSettings Move { get; init; } = new();

    /// <summary>Null: no store port (movescu's --no-port: the moves go to third parties).</summary>
    public StoreSettings? Store { get; init; }

    /// <summary>
    /// Options from the HOCON settings (hocon/actormove.conf): AE title, max PDU, timeouts, output folder, buffering.
    /// <paramref name="storeEndPoint"/> null means no store port.
    /// </summary>
    public static ActorMoveOptions FromSettings(ActorMoveSettings settings, IPEndPoint? storeEndPoint)
    {
        var association = new AssociationOptions
        {
            MaxPduLength = (uint)settings.MaxPduLength,
            AcseTimeout = settings.AcseTimeout,
            DimseTimeout = settings.DimseTimeout,
            Connection = AssociationOptions.Default.Connection with { ConnectTimeout = settings.ConnectTimeout, QuickAck = settings.QuickAck },
        };
        return new ActorMoveOptions
        {
            Move = new MoveSettings { AeTitle = settings.AeTitle, Association = association },
            Store = storeEndPoint is null
                ? null
                : new StoreSettings
                {
                    EndPoint = storeEndPoint,
                    OutputDirectory = settings.OutputDirectory,
                    AcceptAllStorageClasses = settings.AcceptAllStorageClasses,
                    BufferPerAssociation = settings.BufferPerAssociation,
                    MaxAssociations = settings.MaxAssociations,
                    Association = association,
                },
        };
    }
}
