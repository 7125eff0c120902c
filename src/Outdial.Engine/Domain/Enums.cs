namespace Outdial.Engine.Domain;

// Member names are the wire names of the seed documents (OBI, Conpeek), so they serialize as-is.
#pragma warning disable CA1707, CA1028

public enum DialingMode { PREVIEW, PROGRESSIVE, PREDICTIVE }

public enum DialerType { QueueDialer, CampaignDialer }

public enum CampaignStatus { Passive, Active, Handled, Expired, Invalid, Deleted, Quota }

public enum DialerStatus { OPEN, CLOSING, CLOSING2, CLOSED, PASSIVE, COMPLETED, SUSPEND, EXPIRED, SHUTDOWN, QUOTA }

/// <summary>Conpeek's request state.</summary>
public enum RecordState { OPEN, PROCESSING, CLOSED }

/// <summary>Conpeek's application state.</summary>
public enum ApplicationState { NEW, RECALL, RETRY, CLOSED }

/// <summary>Outcome of an attempt or of a record, as named by the OBI document.</summary>
public enum CallResult
{
    SUCCESS, REFUSAL, BUSY, NOANSWER, ANSWERING_MACHINE, FAX, INVALID_NUMBER, AGENT_REJECTED,
    HANGUP, ABANDONED, SKIP, NOT_DIALED, MAXCALLS, DIALING,
}

public enum Role { admin, supervisor, agent, integration }

public enum DuplicatePolicy { reject, skip, overwrite }
