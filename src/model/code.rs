//! Every error and diagnostic code, in one enum. Codes are stable: they are
//! written in reports, printed by the CLI and shown by the app. Code that
//! decides by an error compares these variants, never a message or a string.
//!
//! It lives in `model` because reports and diagnostics carry it, and `model`
//! imports nothing else of the crate; `crate::error` re-exports it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A file cannot be read.
    FileUnreadable,
    /// A file is not valid JSON.
    FileNotJson,
    /// A workflow file does not hold a JSON object.
    FileNotObject,
    /// A file is of a newer format version than this Flowbench reads.
    FileNewerVersion,
    /// A file cannot be saved; the old one is untouched.
    FileSave,
    /// Reading or writing a file or folder failed.
    FileIo,
    /// A file of that name exists already.
    FileExists,
    /// A path is outside the open workspace folder.
    OutsideWorkspace,
    /// A test file is malformed.
    TestFile,
    /// A workflow id is not a slug.
    BadWorkflowId,
    /// A node id is not a valid identifier.
    BadNodeId,
    /// Two nodes share an id.
    DuplicateNodeId,
    /// Two edges share an id.
    DuplicateEdgeId,
    /// A node's type is not in the catalogue.
    UnknownNodeType,
    /// A required key of the workflow is missing.
    MissingField,
    /// A key of the workflow has the wrong type or value.
    InvalidField,
    /// A required config key of a node is missing.
    MissingConfig,
    /// A node's config key has the wrong type or value.
    InvalidConfig,
    /// An edge names a node the workflow does not have.
    EdgeUnknownNode,
    /// An edge leaves a port its node does not have.
    EdgeUnknownPort,
    /// A port of a condition leads nowhere.
    PortUnconnected,
    /// The edges form a cycle.
    Cycle,
    /// The workflow has no trigger.
    NoTrigger,
    /// An edge goes into a trigger.
    TriggerHasIncoming,
    /// No trigger reaches the node.
    UnreachableNode,
    /// An expression does not compile.
    ExpressionSyntax,
    /// A code body does not compile.
    CodeSyntax,
    /// An expression names a node that is not upstream.
    NodeNotUpstream,
    /// A forEach is not an expression.
    BadForEach,
    /// A schedule's cron expression or time zone is not valid.
    BadCron,
    /// Two concurrent branches write one variable.
    ConcurrentVarWrite,
    /// The workflow has validation errors and does not run.
    WorkflowInvalid,
    /// The trigger to fire is missing or ambiguous.
    BadTrigger,
    /// A run the shell names has ended, or was never started.
    UnknownRun,
    /// The run history's database cannot be used: newer, corrupt or unwritable.
    HistoryUnavailable,
    /// A run id prefix names more than one run.
    AmbiguousRun,
    /// The run goes on in another process.
    RunLive,
    /// The run has ended, or waits for a decision, and cannot be resumed.
    RunNotResumable,
    /// The run waits for no decision on that node.
    RunNotWaiting,
    /// The human task was decided already.
    TaskAlreadyDecided,
    /// A decision names an outcome the task does not have.
    UnknownOutcome,
    /// A workflow revision that the history does not hold.
    UnknownRevision,
    /// The run was cancelled.
    Cancelled,
    /// An attempt took longer than its timeoutMs.
    Timeout,
    /// An expression failed while the node ran.
    ExpressionError,
    /// forEach gave something other than an array.
    ForEachNotArray,
    /// Code does not compile.
    SyntaxError,
    /// Code threw an error.
    ScriptError,
    /// Code ran past its time limit.
    ScriptTimeout,
    /// Code used more memory than its limit.
    ScriptMemory,
    /// Code returned something that is not JSON.
    ScriptResult,
    /// An HTTP call got no answer in time.
    HttpTimeout,
    /// An HTTP call could not connect.
    HttpUnreachable,
    /// An HTTP call failed.
    HttpError,
    /// An HTTP call answered a status that is not 2xx.
    HttpStatus,
    /// A SQL statement failed.
    SqlError,
    /// A subflow's workflow cannot be found.
    SubflowNotFound,
    /// A subflow's workflow does not run.
    SubflowError,
    /// A subflow's run did not succeed.
    SubflowFailed,
    /// Subflows are nested too deep.
    SubflowTooDeep,
    /// A test mock made the node fail.
    MockedError,
    /// An imported node that has no Flowbench equivalent was run.
    UnmappedNode,
    /// A file to import is not an export of the tool it was imported as.
    ImportNotRecognised,
    /// An n8n connection names a node the workflow does not have.
    ImportUnknownNode,
    /// Two n8n nodes share one name.
    ImportDuplicateName,
    /// An n8n loop that is not the Loop Over Items pattern.
    ImportLoop,
    /// The engine itself went wrong: please report it.
    #[serde(rename = "internal_error")]
    Internal,
}

impl Code {
    /// Every code, for documentation and tests.
    pub const ALL: &[Code] = &[
        Code::FileUnreadable,
        Code::FileNotJson,
        Code::FileNotObject,
        Code::FileNewerVersion,
        Code::FileSave,
        Code::FileIo,
        Code::FileExists,
        Code::OutsideWorkspace,
        Code::TestFile,
        Code::BadWorkflowId,
        Code::BadNodeId,
        Code::DuplicateNodeId,
        Code::DuplicateEdgeId,
        Code::UnknownNodeType,
        Code::MissingField,
        Code::InvalidField,
        Code::MissingConfig,
        Code::InvalidConfig,
        Code::EdgeUnknownNode,
        Code::EdgeUnknownPort,
        Code::PortUnconnected,
        Code::Cycle,
        Code::NoTrigger,
        Code::TriggerHasIncoming,
        Code::UnreachableNode,
        Code::ExpressionSyntax,
        Code::CodeSyntax,
        Code::NodeNotUpstream,
        Code::BadForEach,
        Code::BadCron,
        Code::ConcurrentVarWrite,
        Code::WorkflowInvalid,
        Code::BadTrigger,
        Code::UnknownRun,
        Code::HistoryUnavailable,
        Code::AmbiguousRun,
        Code::RunLive,
        Code::RunNotResumable,
        Code::RunNotWaiting,
        Code::TaskAlreadyDecided,
        Code::UnknownOutcome,
        Code::UnknownRevision,
        Code::Cancelled,
        Code::Timeout,
        Code::ExpressionError,
        Code::ForEachNotArray,
        Code::SyntaxError,
        Code::ScriptError,
        Code::ScriptTimeout,
        Code::ScriptMemory,
        Code::ScriptResult,
        Code::HttpTimeout,
        Code::HttpUnreachable,
        Code::HttpError,
        Code::HttpStatus,
        Code::SqlError,
        Code::SubflowNotFound,
        Code::SubflowError,
        Code::SubflowFailed,
        Code::SubflowTooDeep,
        Code::MockedError,
        Code::UnmappedNode,
        Code::ImportNotRecognised,
        Code::ImportUnknownNode,
        Code::ImportDuplicateName,
        Code::ImportLoop,
        Code::Internal,
    ];

    /// The code as it is written: `edge_unknown_node`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::FileUnreadable => "file_unreadable",
            Code::FileNotJson => "file_not_json",
            Code::FileNotObject => "file_not_object",
            Code::FileNewerVersion => "file_newer_version",
            Code::FileSave => "file_save",
            Code::FileIo => "file_io",
            Code::FileExists => "file_exists",
            Code::OutsideWorkspace => "outside_workspace",
            Code::TestFile => "test_file",
            Code::BadWorkflowId => "bad_workflow_id",
            Code::BadNodeId => "bad_node_id",
            Code::DuplicateNodeId => "duplicate_node_id",
            Code::DuplicateEdgeId => "duplicate_edge_id",
            Code::UnknownNodeType => "unknown_node_type",
            Code::MissingField => "missing_field",
            Code::InvalidField => "invalid_field",
            Code::MissingConfig => "missing_config",
            Code::InvalidConfig => "invalid_config",
            Code::EdgeUnknownNode => "edge_unknown_node",
            Code::EdgeUnknownPort => "edge_unknown_port",
            Code::PortUnconnected => "port_unconnected",
            Code::Cycle => "cycle",
            Code::NoTrigger => "no_trigger",
            Code::TriggerHasIncoming => "trigger_has_incoming",
            Code::UnreachableNode => "unreachable_node",
            Code::ExpressionSyntax => "expression_syntax",
            Code::CodeSyntax => "code_syntax",
            Code::NodeNotUpstream => "node_not_upstream",
            Code::BadForEach => "bad_for_each",
            Code::BadCron => "bad_cron",
            Code::ConcurrentVarWrite => "concurrent_var_write",
            Code::WorkflowInvalid => "workflow_invalid",
            Code::BadTrigger => "bad_trigger",
            Code::UnknownRun => "unknown_run",
            Code::HistoryUnavailable => "history_unavailable",
            Code::AmbiguousRun => "ambiguous_run",
            Code::RunLive => "run_live",
            Code::RunNotResumable => "run_not_resumable",
            Code::RunNotWaiting => "run_not_waiting",
            Code::TaskAlreadyDecided => "task_already_decided",
            Code::UnknownOutcome => "unknown_outcome",
            Code::UnknownRevision => "unknown_revision",
            Code::Cancelled => "cancelled",
            Code::Timeout => "timeout",
            Code::ExpressionError => "expression_error",
            Code::ForEachNotArray => "for_each_not_array",
            Code::SyntaxError => "syntax_error",
            Code::ScriptError => "script_error",
            Code::ScriptTimeout => "script_timeout",
            Code::ScriptMemory => "script_memory",
            Code::ScriptResult => "script_result",
            Code::HttpTimeout => "http_timeout",
            Code::HttpUnreachable => "http_unreachable",
            Code::HttpError => "http_error",
            Code::HttpStatus => "http_status",
            Code::SqlError => "sql_error",
            Code::SubflowNotFound => "subflow_not_found",
            Code::SubflowError => "subflow_error",
            Code::SubflowFailed => "subflow_failed",
            Code::SubflowTooDeep => "subflow_too_deep",
            Code::MockedError => "mocked_error",
            Code::UnmappedNode => "unmapped_node",
            Code::ImportNotRecognised => "import_not_recognised",
            Code::ImportUnknownNode => "import_unknown_node",
            Code::ImportDuplicateName => "import_duplicate_name",
            Code::ImportLoop => "import_loop",
            Code::Internal => "internal_error",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_serializes_as_it_displays_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.to_string()));
            assert_eq!(serde_json::from_value::<Code>(json).unwrap(), code);
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }
}
