namespace JobsModule.Tests;

/// <summary>Stop-ProviderJob looks before it acts: which jobs may be sent their provider's stop request.</summary>
public class StopRuleTests
{
    private static readonly JobRequest Cancel = new(HttpMethod.Post, new Uri("https://x.example.com/jobs/j/cancel"));
    private static readonly JobRequest DeletingStop = new(HttpMethod.Delete, new Uri("https://x.example.com/jobs/j"), deletesJob: true);

    private static ProviderJob Job(JobStatus status, string raw = "raw") => new("Krea", "j", raw, status);

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    public void Unfinished_jobs_may_be_stopped_either_way(JobStatus status)
    {
        Assert.Null(StopRule.Check(Job(status), Cancel));
        Assert.Null(StopRule.Check(Job(status), DeletingStop));
    }

    [Theory]
    [InlineData(JobStatus.Succeeded)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Canceled)]
    public void Finished_jobs_are_never_sent_a_stop(JobStatus status)
    {
        var plain = StopRule.Check(Job(status, "completed"), Cancel);
        var deleting = StopRule.Check(Job(status, "completed"), DeletingStop);

        Assert.Equal(ProblemKind.JobAlreadyFinished, plain!.Kind);
        Assert.Equal(ProblemKind.JobAlreadyFinished, deleting!.Kind);
        Assert.Contains("nothing was sent", plain.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("deleting", plain.Message, StringComparison.Ordinal);
        Assert.Contains("by deleting it", deleting.Message, StringComparison.Ordinal);
        Assert.Contains("Remove-ProviderJob", deleting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_status_is_risked_only_where_the_stop_does_not_delete()
    {
        Assert.Null(StopRule.Check(Job(JobStatus.Unknown, "expired"), Cancel));
        var refusal = StopRule.Check(Job(JobStatus.Unknown, "expired"), DeletingStop);

        Assert.Equal(ProblemKind.JobStatusUnknown, refusal!.Kind);
        Assert.Contains("'expired'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_confirmation_says_when_a_stop_deletes()
    {
        Assert.Equal("Stop", Strings.StopAction("Unstructured", deletes: false));
        Assert.Contains("deleting the job and its results", Strings.StopAction("Krea", deletes: true), StringComparison.Ordinal);
        Assert.Equal("Krea job 'j' (processing)", Strings.JobTarget(Job(JobStatus.Running, "processing")));
    }
}
