namespace JobsModule.Tests;

/// <summary>
/// A job's times: DateTimeOffset at offset zero for scripts (they compare rightly with any local time),
/// and ISO 8601 text in UTC to the millisecond for files, read back exactly.
/// </summary>
public class JobTimeTests
{
    private static KreaJob Krea(string createdAt, string? completedAt = null) =>
        new KreaProvider().ReadJob(TestListing.Parse(
            $$"""{"job_id":"k","status":"completed","created_at":{{Bodies.Str(createdAt)}},"completed_at":{{Bodies.Str(completedAt)}}}"""));

    [Theory]
    [InlineData("2026-12-07T16:51:53.123Z", "2026-12-07T16:51:53.123Z")]
    [InlineData("2026-12-07T16:51:53Z", "2026-12-07T16:51:53.000Z")]
    [InlineData("2026-12-07T16:51:53.1239999Z", "2026-12-07T16:51:53.123Z")]
    [InlineData("2026-12-07T22:21:53.5+05:30", "2026-12-07T16:51:53.500Z")]
    [InlineData("2026-12-07T11:51:53.25-05:00", "2026-12-07T16:51:53.250Z")]
    public void A_time_is_UTC_at_offset_zero_and_its_text_has_milliseconds_and_Z(string sent, string text)
    {
        var job = Krea(sent);

        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
        Assert.Equal(DateTimeOffset.Parse(sent, System.Globalization.CultureInfo.InvariantCulture), job.CreatedAt.Value);
        Assert.Equal(text, job.CreatedAtIso);
        Assert.Equal(job.CreatedAt.Value.UtcTicks / TimeSpan.TicksPerMillisecond, DateTimeOffset.Parse(job.CreatedAtIso!, System.Globalization.CultureInfo.InvariantCulture).UtcTicks / TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void The_same_instant_in_another_zone_compares_equal_and_an_earlier_local_time_compares_earlier()
    {
        var job = Krea("2026-12-07T16:51:53.123Z");
        var kolkata = new DateTimeOffset(2026, 12, 7, 22, 21, 53, 123, TimeSpan.FromMinutes(330));
        var newYorkHalfAnHourBefore = new DateTimeOffset(2026, 12, 7, 11, 21, 53, 123, TimeSpan.FromHours(-5));

        Assert.Equal(kolkata, job.CreatedAt);
        Assert.True(job.CreatedAt > newYorkHalfAnHourBefore);
        Assert.True(job.CreatedAt < kolkata.AddTicks(1));
    }

    [Fact]
    public void Missing_times_are_null_in_both_forms_and_the_earliest_and_latest_dates_do_not_throw()
    {
        var job = new KreaJob("Krea", "k", "queued", JobStatus.Queued);
        Assert.Null(job.CreatedAt);
        Assert.Null(job.CreatedAtIso);
        Assert.Null(job.StartedAt);
        Assert.Null(job.UpdatedAtIso);

        var edges = new IttybitProvider().ReadJob(TestListing.Parse("""{"id":"i","status":"succeeded","created_at":-62135596800000,"finished_at":253402300799999}"""));
        Assert.Equal("0001-01-01T00:00:00.000Z", edges.CreatedAtIso);
        Assert.Equal(DateTimeOffset.MinValue, edges.CreatedAt);
        Assert.Equal("9999-12-31T23:59:59.999Z", edges.CompletedAtIso);
        Assert.Equal(TimeSpan.Zero, edges.CompletedAt!.Value.Offset);
    }

    [Fact]
    public void Duration_is_from_creation_to_completion_unless_the_provider_says_when_the_job_started()
    {
        Assert.Equal(TimeSpan.FromSeconds(90.5), Krea("2026-03-01T10:00:00Z", "2026-03-01T10:01:30.5Z").Duration);

        var ittybit = new IttybitProvider().ReadJob(TestListing.Parse("""{"id":"i","status":"succeeded","created_at":1711900000000,"started_at":1711900001000,"finished_at":1711900045000}"""));
        Assert.Equal(TimeSpan.FromSeconds(44), ittybit.Duration);
    }
}
