using CsCheck;

namespace JobsModule.Tests;

/// <summary>
/// The step-back arithmetic alone: where the next offset page starts after the listing's own removals,
/// after a drop in the total, and when the jobs before a drop are too few to go back over.
/// </summary>
public class OffsetStepsTests
{
    private static readonly ListingRemovals Removals = new(false);

    private static ListedPage Page(int removed = 0)
    {
        var page = new ListedPage(Removals);
        for (var i = 0; i < removed; i++)
        {
            page.CountRemoval();
        }

        return page;
    }

    [Fact]
    public void The_next_page_starts_after_the_last_less_the_jobs_taken_out_since_it_was_served()
    {
        var steps = new OffsetSteps(100);
        steps.Read(null, 1, 0, 32, 235, more: true, anchorSeen: false, Page(removed: 32));

        var step = steps.Next(removed: 32)!;

        Assert.Equal(new OffsetSteps.Step(0, 0, 0, false, 32), step);
        Assert.False(step.Rereads);
        Assert.Equal(1, steps.WindowPages);
        Assert.False(steps.Reaching);
    }

    [Fact]
    public void Removals_counted_before_a_page_was_asked_for_are_not_stepped_back_over_again()
    {
        var steps = new OffsetSteps(100);
        steps.Read(null, 1, 0, 10, 40, more: true, anchorSeen: false, Page(removed: 3));
        var second = steps.Next(removed: 3)!;
        steps.Read(second, 2, second.Offset, 10, 37, more: true, anchorSeen: false, Page(removed: 2));

        // Page 2 was asked for with 3 removals counted; 2 more since (its own jobs): 7 + 10 - 2.
        Assert.Equal(15, steps.Next(removed: 5)!.Offset);
        Assert.Equal(0, steps.TakeMissing());
    }

    [Fact]
    public void A_last_page_ends_the_listing()
    {
        var steps = new OffsetSteps(100);
        steps.Read(null, 1, 0, 3, 3, more: false, anchorSeen: false, Page());

        Assert.Null(steps.Next(removed: 0));
    }

    [Fact]
    public void A_drop_the_listing_did_not_make_sends_the_next_page_back_over_it_the_same_again_and_one_anchor()
    {
        var steps = new OffsetSteps(100);
        steps.Read(null, 1, 0, 32, 300, more: true, anchorSeen: false, Page());
        var second = steps.Next(removed: 0)!;
        steps.Read(second, 2, 32, 100, 295, more: true, anchorSeen: false, Page());

        var back = steps.Next(removed: 0)!;

        // 5 that may have been skipped, 5 that may go before this page is served, and one of page 1.
        Assert.Equal(new OffsetSteps.Step(21, 11, 1, true, 0), back);
        Assert.True(back.Rereads);
        Assert.True(steps.Reaching);
        Assert.Equal(OffsetSteps.MaxWindowPages, steps.WindowPages);

        // The anchor was on it: from then on each page reaches back over the last drop and one more.
        steps.Read(back, 3, 21, 100, 290, more: true, anchorSeen: true, Page());
        var next = steps.Next(removed: 0)!;
        // Page 3 ended before page 2 did, so the next page may bring only page 2's jobs again.
        Assert.Equal(new OffsetSteps.Step(115, 6, 3, false, 0) { Rereads = true }, next);
        Assert.Equal(0, steps.TakeMissing());
    }

    [Fact]
    public void A_page_that_goes_back_and_finds_no_anchor_while_the_total_drops_again_is_given_up_with_a_count()
    {
        var steps = new OffsetSteps(10);
        steps.Read(null, 1, 0, 10, 50, more: true, anchorSeen: false, Page());
        var second = steps.Next(removed: 0)!;
        steps.Read(second, 2, 10, 10, 47, more: true, anchorSeen: false, Page());
        var back = steps.Next(removed: 0)!;
        Assert.True(back.Recovers);

        steps.Read(back, 3, back.Offset, 10, 44, more: true, anchorSeen: false, Page());

        Assert.Equal(3, steps.TakeMissing());
        Assert.Equal(0, steps.TakeMissing());
        Assert.False(steps.Next(removed: 0)!.Recovers);
    }

    [Fact]
    public void Jobs_before_a_drop_that_were_all_taken_out_leave_nothing_to_go_back_over_and_the_gap_is_counted()
    {
        var steps = new OffsetSteps(4);
        steps.Read(null, 1, 0, 4, 24, more: true, anchorSeen: false, Page());
        var second = steps.Next(removed: 0)!;
        steps.Read(second, 2, 4, 4, 24, more: true, anchorSeen: false, Page(removed: 4));
        var third = steps.Next(removed: 4)!;
        Assert.Equal(4, third.Offset);
        steps.Read(third, 3, 4, 4, 16, more: true, anchorSeen: false, Page());

        var next = steps.Next(removed: 4)!;

        // Given up: the listing goes on after page 3, reaching back over two of its jobs (half a page).
        Assert.Equal(new OffsetSteps.Step(6, 2, 3, false, 4), next);
        Assert.Equal(4, steps.TakeMissing());
    }

    [Fact]
    public void Going_back_from_a_gap_after_the_first_page_may_reach_the_head_of_the_list()
    {
        // Page 1's jobs were the ones that went: none is left to anchor on, but nothing else lies before the gap.
        var steps = new OffsetSteps(2);
        steps.Read(null, 1, 0, 2, 7, more: true, anchorSeen: false, Page());
        var second = steps.Next(removed: 0)!;
        steps.Read(second, 2, 2, 2, 5, more: true, anchorSeen: false, Page());

        Assert.Equal(new OffsetSteps.Step(0, 2, 1, true, 0), steps.Next(removed: 0));
    }

    [Fact]
    public void A_total_that_grows_or_is_unknown_proves_nothing_is_missing()
    {
        var steps = new OffsetSteps(100);
        steps.Read(null, 1, 0, 10, null, more: true, anchorSeen: false, Page());
        steps.Read(steps.Next(0), 2, 10, 10, null, more: true, anchorSeen: false, Page());
        steps.Read(steps.Next(0), 3, 20, 10, 40, more: true, anchorSeen: false, Page());
        steps.Read(steps.Next(0), 4, 30, 10, 47, more: true, anchorSeen: false, Page());

        Assert.Equal(new OffsetSteps.Step(40, 0, 0, false, 0), steps.Next(0));
        Assert.False(steps.Reaching);
    }

    [Fact]
    public void A_listings_own_removals_never_step_a_page_before_the_head_or_past_the_jobs_not_yet_read()
    {
        // Whatever the pages and the removals (each of a job already listed), the next page starts at the
        // head or later, and no later than the first job not yet read.
        Gen.Select(Gen.Int[1, 100], Gen.Int[0, 100].Array[1, 20]).Sample((size, takenOut) =>
        {
            var steps = new OffsetSteps(size);
            long offset = 0;
            long removed = 0;
            long remaining = 1000;
            OffsetSteps.Step? step = null;
            for (var number = 1; number <= takenOut.Length; number++)
            {
                var items = (int)Math.Min(size, remaining - offset);
                steps.Read(step, number, offset, items, remaining, more: true, anchorSeen: false, Page());
                var now = Math.Min(takenOut[number - 1], (int)(offset + items));
                removed += now;
                remaining -= now;
                step = steps.Next(removed)!;
                Assert.Equal(offset + items - now, step.Offset);
                Assert.InRange(step.Offset, 0, offset + items);
                offset = step.Offset;
            }

            Assert.Equal(0, steps.TakeMissing());
        });
    }
}
