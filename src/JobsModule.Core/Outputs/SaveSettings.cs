namespace JobsModule.Outputs;

/// <summary>How Save-ProviderJobOutput saves: under which folder (a full path), whether it replaces files, and how many downloads run at once.</summary>
internal sealed record SaveSettings(string Root, bool Force, int ThrottleLimit);
