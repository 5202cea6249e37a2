using Microsoft.Extensions.Time.Testing;

namespace MlEnvironments.Azure.Tests.Support;

internal static class Clock
{
    /// <summary>
    /// Advances the fake clock in steps while the task runs, so that waits on it (retries, polling) elapse without
    /// real time passing; returns the task's result. Bounded in steps; never asserts on time.
    /// </summary>
    public static async Task<T> WithClock<T>(this Task<T> task, FakeTimeProvider time, TimeSpan? step = null)
    {
        var advance = step ?? TimeSpan.FromSeconds(1);
        for (var i = 0; i < 20_000 && !task.IsCompleted; i++)
        {
            await Task.Delay(1);
            time.Advance(advance);
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public static async Task WithClock(this Task task, FakeTimeProvider time, TimeSpan? step = null) =>
        await WithClock(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), time, step);

    public static FakeTimeProvider NewFakeTime() => new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
}
