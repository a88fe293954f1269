namespace JobsModule.Outputs;

/// <summary>
/// How Save-ProviderJobOutput saves: under which folder (a full path), whether it replaces files, how many
/// downloads run at once, and whether each saved file is handed on (-PassThru).
/// </summary>
internal sealed record SaveSettings(string Root, bool Force, int ThrottleLimit, bool PassThru);
