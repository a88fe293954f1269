namespace JobsModule.Outputs;

/// <summary>
/// How far a call has come: files ended (saved or failed) of the files queued so far, and bytes received
/// of the bytes the answers announced so far (both grow while jobs keep arriving).
/// </summary>
internal readonly record struct SaveProgress(int FilesEnded, int FilesQueued, long BytesReceived, long BytesExpected);
