namespace ActorMove.Dicom.IO.Writing;

/// <summary>How ActorMove names itself, in file meta information and in A-ASSOCIATE user information alike.</summary>
public static class ActorMoveImplementation
{
    /// <summary>A UUID-derived UID (PS3.5 B.2) fixed for ActorMove: 2.25 followed by the UUID 9a358832-6643-4bae-b42f-51868836b189 as a decimal.</summary>
    public const string ClassUid = "2.25.204979065485142439063787687194465317257";

    /// <summary>At most 16 characters (SH).</summary>
    public const string VersionName = "ACTORMOVE_010";
}
