namespace JobsModule;

/// <summary>What Watch-ProviderJob saw happen to a job since its last pass.</summary>
public enum JobChangeKind
{
    /// <summary>A job the watch had not seen before.</summary>
    New = 0,

    /// <summary>A job it knew, now in another status.</summary>
    StatusChanged = 1,

    /// <summary>A job it knew, in the same status with another outcome (a finished job whose details -Detailed could not read before).</summary>
    OutcomeChanged = 2,
}
