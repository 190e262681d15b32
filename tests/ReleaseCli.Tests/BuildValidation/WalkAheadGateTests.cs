using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// A walk far ahead of the workers is held back, and let go once half of what it listed is taken: not woken for every
/// file a worker takes, which on a drop of small files made each file a hand-off between two threads.
/// </summary>
public sealed class WalkAheadGateTests
{
    [Fact]
    public async Task A_walk_at_the_limit_waits_until_half_of_what_it_listed_is_taken()
    {
        var gate = new WalkAheadGate(8);
        for (var i = 0; i < 7; i++)
        {
            Assert.True(gate.ListedAsync(CancellationToken.None).IsCompleted, $"the walk waited after {i + 1} of 8 files");
        }

        var paused = gate.ListedAsync(CancellationToken.None).AsTask();
        Assert.False(paused.IsCompleted, "the walk went on with 8 files listed and none taken");

        // Each file taken leaves more than half waiting: the walk is not woken for it.
        for (var i = 0; i < 3; i++)
        {
            gate.Taken(1);
            await Task.Delay(10);
            Assert.False(paused.IsCompleted, $"the walk was woken with {7 - i} files still waiting");
        }

        gate.Taken(1);
        await paused.WaitAsync(TimeSpan.FromSeconds(10));

        // Listed again up to the limit, it waits again; a batch taken at once lets it go.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(gate.ListedAsync(CancellationToken.None).IsCompleted);
        }

        var pausedAgain = gate.ListedAsync(CancellationToken.None).AsTask();
        Assert.False(pausedAgain.IsCompleted);
        gate.Taken(8);
        await pausedAgain.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_paused_walk_is_stopped_by_its_cancellation()
    {
        var gate = new WalkAheadGate(2);
        await gate.ListedAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var paused = gate.ListedAsync(stop.Token).AsTask();
        Assert.False(paused.IsCompleted);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => paused);
    }
}
