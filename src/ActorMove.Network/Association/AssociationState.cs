namespace ActorMove.Network.Association;

/// <summary>The states of the DICOM upper layer state machine (PS3.8 Table 9-1).</summary>
public enum AssociationState
{
    /// <summary>Idle: no connection.</summary>
    Sta1 = 1,

    /// <summary>Transport connection open, awaiting A-ASSOCIATE-RQ (acceptor, ARTIM running).</summary>
    Sta2 = 2,

    /// <summary>Awaiting the local A-ASSOCIATE response primitive (acceptor deciding).</summary>
    Sta3 = 3,

    /// <summary>Awaiting the transport connection to open (requestor connecting).</summary>
    Sta4 = 4,

    /// <summary>Awaiting A-ASSOCIATE-AC or -RJ (requestor).</summary>
    Sta5 = 5,

    /// <summary>Association established, ready for data transfer.</summary>
    Sta6 = 6,

    /// <summary>Awaiting A-RELEASE-RP (we asked for release).</summary>
    Sta7 = 7,

    /// <summary>Awaiting the local A-RELEASE response primitive (the peer asked for release).</summary>
    Sta8 = 8,

    /// <summary>Release collision, requestor: awaiting the local A-RELEASE response primitive.</summary>
    Sta9 = 9,

    /// <summary>Release collision, acceptor: awaiting A-RELEASE-RP.</summary>
    Sta10 = 10,

    /// <summary>Release collision, requestor: awaiting A-RELEASE-RP.</summary>
    Sta11 = 11,

    /// <summary>Release collision, acceptor: awaiting the local A-RELEASE response primitive.</summary>
    Sta12 = 12,

    /// <summary>Awaiting the transport connection to close (ARTIM running).</summary>
    Sta13 = 13,
}
