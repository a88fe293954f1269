namespace JobsModule;

/// <summary>
/// Lets a DateTimeOffset parameter take a DateTime as a [datetime] parameter would: a time without a zone
/// (Get-Date, '2026-11-01') is local, a UTC one stays UTC. PowerShell's own conversion does the same, but
/// throws for a local time whose UTC instant falls outside what a DateTimeOffset holds
/// ([datetime]::MinValue east of UTC); such a time becomes the earliest or latest DateTimeOffset, which the
/// cmdlet then refuses as DateOutOfRange, with the module's words instead of .NET's. Text and
/// DateTimeOffsets pass on to PowerShell's conversion untouched.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TimeArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if ((inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is not DateTime time)
        {
            return inputData;
        }

        if (time.Kind == DateTimeKind.Utc)
        {
            return new DateTimeOffset(time);
        }

        var utcTicks = time.Ticks - TimeZoneInfo.Local.GetUtcOffset(time).Ticks;
        if (utcTicks < DateTimeOffset.MinValue.Ticks)
        {
            return DateTimeOffset.MinValue;
        }

        return utcTicks > DateTimeOffset.MaxValue.Ticks ? DateTimeOffset.MaxValue : new DateTimeOffset(time);
    }
}
