using System.Collections.Concurrent;

namespace JobsModule.Tests;

/// <summary>The one loop that waits on the pipeline thread and runs the heartbeat meanwhile.</summary>
public class WaitPumpTests
{
    [Fact]
    public void Take_hands_on_items_then_null_once_the_collection_is_complete()
    {
        using var items = new BlockingCollection<string> { "a", "b" };
        items.CompleteAdding();

        Assert.Equal("a", WaitPump.Take(items, heartbeat: null, CancellationToken.None));
        Assert.Equal("b", WaitPump.Take(items, heartbeat: null, CancellationToken.None));
        Assert.Null(WaitPump.Take(items, heartbeat: null, CancellationToken.None));
    }

    [Fact]
    public void Take_runs_the_heartbeat_while_nothing_has_arrived()
    {
        using var items = new BlockingCollection<string>();
        var beats = 0;
        _ = Task.Run(async () =>
        {
            await Task.Delay(700);
            items.Add("late");
        });

        var item = WaitPump.Take(items, () => beats++, CancellationToken.None);

        Assert.Equal("late", item);
        Assert.True(beats >= 1, $"{beats} heartbeats");
    }

    [Fact]
    public void Await_runs_the_heartbeat_until_the_task_ends_and_rethrows_its_exception()
    {
        var beats = 0;
        var failing = Task.Run<int>(async () =>
        {
            await Task.Delay(500);
            throw new InvalidOperationException("boom");
        });

        var thrown = Assert.Throws<InvalidOperationException>(() => WaitPump.Await(failing, () => beats++));

        Assert.Equal("boom", thrown.Message);
        Assert.True(beats >= 1, $"{beats} heartbeats");
    }

    [Fact]
    public void Await_of_a_finished_task_runs_the_heartbeat_once_to_hand_on_what_it_logged()
    {
        var beats = 0;

        Assert.Equal(7, WaitPump.Await(Task.FromResult(7), () => beats++));
        Assert.Equal(1, beats);
    }
}
