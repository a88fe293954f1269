using System.Diagnostics;

namespace JobsModule.Tests;

/// <summary>The real clock and wait loop behind Wait-ProviderJob and the listing, and the log's once-only messages.</summary>
public class WaitAndLogTests
{
    [Fact]
    public void The_real_clock_sleeps_for_the_time_asked()
    {
        var clock = new WaitClock();
        var watch = Stopwatch.StartNew();

        clock.Sleep(TimeSpan.FromMilliseconds(120), heartbeat: null, CancellationToken.None);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(100), $"slept {watch.Elapsed.TotalMilliseconds} ms");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_real_clock_stops_sleeping_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var watch = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => new WaitClock().Sleep(TimeSpan.FromMinutes(5), null, cancellation.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Waiting_for_a_task_runs_the_heartbeat_while_it_waits()
    {
        var beats = 0;

        var result = WaitPump.Await(Task.Delay(700).ContinueWith(_ => 42, TaskScheduler.Default), () => beats++);

        Assert.Equal(42, result);
        // About every 200 ms while waiting, and once more at the end.
        Assert.True(beats >= 3, $"{beats} heartbeats");
    }

    [Fact]
    public void A_warning_given_once_per_topic_is_given_once()
    {
        var log = new CallLog();
        var made = 0;

        log.WarningOnce("Krea\0created_at", () => "first " + ++made);
        log.WarningOnce("KREA\0CREATED_AT", () => "again " + ++made);
        log.WarningOnce("Krea\0completed_at", () => "other " + ++made);

        var warnings = Drain(log).Where(message => message.Kind == LogMessageKind.Warning).Select(message => message.Text).ToList();
        Assert.Equal(new[] { "first 1", "other 2" }, warnings);
    }

    [Fact]
    public void An_unreadable_item_met_again_on_a_page_read_again_is_reported_once()
    {
        var log = new CallLog();
        var endpoint = TestListing.Endpoint(new KreaProvider());
        var download = new PageDownload("Krea", 1, new ListedPage(new ListingRemovals(false)));

        Unreadable.ReportItem(endpoint, download, 3, "no id", log);
        Unreadable.ReportItem(endpoint, download, 3, "no id", log);
        Unreadable.ReportItem(endpoint, download, 4, "no id", log);

        var errors = Drain(log).Where(message => message.Kind == LogMessageKind.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, error => Assert.Equal(ProviderErrorKind.InvalidResponse, error.Error!.Kind));
    }

    private static List<LogMessage> Drain(CallLog log)
    {
        var messages = new List<LogMessage>();
        while (log.TryTake(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }
}
