using Quartz;

namespace AuthServer.Jobs;

/// <summary>When a job runs: every <see cref="Interval"/>, the first time <see cref="FirstRunAfter"/> the schedule is made.</summary>
internal sealed record JobTiming(JobKey Job, bool Enabled, TimeSpan Interval, TimeSpan FirstRunAfter);
