using System.Globalization;

namespace Ioc.Bench;

/// <summary>
/// CPU time (user + system) of a process and every live descendant, read from <c>/proc/PID/stat</c> (fields 14 and 15,
/// in clock ticks of 10 ms), so a run can say how many CPU-microseconds a server spent per message. Sample before and
/// after the measured window and subtract; a window of a few seconds keeps the 10 ms tick error under 1 %.
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64 and arm64

    /// <summary>Seconds of CPU the process tree rooted at <paramref name="pid"/> has used so far (0 when it is gone).</summary>
    public static double TreeSeconds(int pid)
    {
        var total = 0.0;
        foreach (var member in Tree(pid))
        {
            total += Seconds(member);
        }

        return total;
    }

    /// <summary>Seconds of CPU one process (all its threads) has used.</summary>
    public static double Seconds(int pid)
    {
        var stat = Stat(pid);
        if (stat is null)
        {
            return 0;
        }

        // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        return (long.Parse(stat[11], CultureInfo.InvariantCulture) + long.Parse(stat[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds so far of each thread (by thread id) in the tree rooted at <paramref name="pid"/> whose name starts with
    /// <paramref name="name"/> (<c>/proc/PID/task/TID/comm</c>, 15 characters): e.g. ".NET Tiered Com", the .NET runtime's
    /// tiered-compilation worker, which compiles hot methods again (instrumented, then optimised) in the background.
    /// </summary>
    public static Dictionary<int, double> ThreadSeconds(int pid, string name)
    {
        var threads = new Dictionary<int, double>();
        foreach (var member in Tree(pid))
        {
            IEnumerable<string> tasks;
            try
            {
                tasks = Directory.EnumerateDirectories($"/proc/{member}/task").ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var task in tasks)
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(name, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var text = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                    threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                        (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The thread ended between the listing and the read.
                }
            }
        }

        return threads;
    }

    /// <summary>CPU seconds the threads of <paramref name="after"/> used since <paramref name="before"/> (a thread new since then counts whole; one gone since then is lost).</summary>
    public static double ThreadSecondsSince(Dictionary<int, double> before, Dictionary<int, double> after) =>
        after.Sum(t => t.Value - before.GetValueOrDefault(t.Key));

    /// <summary>Resident set size of one process in MB (<c>/proc/PID/status</c> VmRSS), 0 when gone.</summary>
    public static double ResidentMegabytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>The first child of this (bench) process whose command name is <paramref name="comm"/> (mosquitto, influxd), or null.</summary>
    public static int? ChildNamed(string comm)
    {
        var self = Environment.ProcessId;
        foreach (var (pid, ppid, name) in All())
        {
            if (ppid == self && name == comm)
            {
                return pid;
            }
        }

        return null;
    }

    private static List<int> Tree(int root)
    {
        var all = All();
        var members = new List<int> { root };
        for (var i = 0; i < members.Count; i++)
        {
            foreach (var (pid, ppid, _) in all)
            {
                if (ppid == members[i])
                {
                    members.Add(pid);
                }
            }
        }

        return members;
    }

    private static List<(int Pid, int Ppid, string Comm)> All()
    {
        var list = new List<(int, int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var text = ReadStat(pid);
            if (text is null)
            {
                continue;
            }

            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var rest = text[(close + 2)..].Split(' ');
            list.Add((pid, int.Parse(rest[1], CultureInfo.InvariantCulture), text[(open + 1)..close]));
        }

        return list;
    }

    private static string[]? Stat(int pid)
    {
        var text = ReadStat(pid);
        return text is null ? null : text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static string? ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>CPU of the servers in one measured window: start with <see cref="Start"/>, read with <see cref="PerMessage"/>.</summary>
internal sealed class CpuWindow
{
    private readonly (string Name, int Pid, double Start)[] _processes;

    private CpuWindow((string, int, double)[] processes) => _processes = processes;

    public static CpuWindow Start(params (string Name, int Pid)[] processes) =>
        new(processes.Select(p => (p.Name, p.Pid, ProcessCpu.TreeSeconds(p.Pid))).ToArray());

    /// <summary>CPU-µs per message of each process tree since <see cref="Start"/>.</summary>
    public Dictionary<string, double> PerMessage(long messages) =>
        _processes.ToDictionary(p => p.Name, p => (ProcessCpu.TreeSeconds(p.Pid) - p.Start) * 1e6 / messages);
}
