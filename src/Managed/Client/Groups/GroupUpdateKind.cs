namespace SessionInterop;

/// <summary>What a GROUP_UPDATE event reports (its value). An open set: ignore kinds you do not know.</summary>
[CEnum("session_group_update_kind", "SESSION_GROUP_UPDATE_")]
public enum GroupUpdateKind
{
    /// <summary>Members were added (text lists them); sender is the admin.</summary>
    MembersAdded = 1,
    /// <summary>Members were removed (text lists them); sender is the admin.</summary>
    MembersRemoved = 2,
    /// <summary>Members were made admins (text lists them); sender is the admin.</summary>
    MembersPromoted = 3,
    /// <summary>The group was renamed: text is the new name.</summary>
    Renamed = 4,
    /// <summary>A member left: sender is that member.</summary>
    MemberLeft = 5,
    /// <summary>We were removed from the group: nothing new arrives from it.</summary>
    Kicked = 6,
    /// <summary>An admin deleted the group.</summary>
    Destroyed = 7,
    /// <summary>We were made an admin (the group's key arrived).</summary>
    PromotedMe = 8,
    /// <summary>The group's description changed: text is the new one ("" when cleared).</summary>
    DescriptionChanged = 9,
}
