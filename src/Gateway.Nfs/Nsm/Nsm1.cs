namespace Gateway.Nfs.Nsm;

// The Network Status Monitor (XNFS chapter 11; sm_inter.x), program 100024 version 1.
public static class Nsm1
{
    public const uint Program = 100024;
    public const uint Version = 1;

    // const SM_MAXSTRLEN = 1024;
    public const int MaxStringLength = 1024;

    // opaque priv[16] in mon and sm_status.
    public const int PrivSize = 16;

    /// <summary>The GatewayStore clients-table protocol number of monitored hosts.</summary>
    public const int ClientProtocol = 24;

    /// <summary>The GatewayStore meta key of the state number.</summary>
    public const string StateMetaKey = "nsm.state";
}

//   program SM_PROG { version SM_VERS {
//       struct sm_stat_res SM_STAT(struct sm_name) = 1;
//       struct sm_stat_res SM_MON(struct mon) = 2;
//       struct sm_stat     SM_UNMON(struct mon_id) = 3;
//       struct sm_stat     SM_UNMON_ALL(struct my_id) = 4;
//       void               SM_SIMU_CRASH(void) = 5;
//       void               SM_NOTIFY(struct stat_chge) = 6;
//   } = 1; } = 100024;
public enum NsmProcedure : uint
{
    SM_NULL = 0,
    SM_STAT = 1,
    SM_MON = 2,
    SM_UNMON = 3,
    SM_UNMON_ALL = 4,
    SM_SIMU_CRASH = 5,
    SM_NOTIFY = 6,
}

//   enum sm_res { stat_succ = 0, stat_fail = 1 };
public enum SmResult : uint
{
    stat_succ = 0,
    stat_fail = 1,
}
