use super::{print_json, Outcome};
use anyhow::Context;
use flowbench::api::tests::{self as testing, CaseResult};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct TestArgs {
    /// Test files, or folders searched for *.test.json (default: workflows/).
    paths: Vec<PathBuf>,
    /// Also write the results as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Print the results as JSON on standard output.
    #[arg(long)]
    json: bool,
    /// Record each case's run in the run history.
    #[arg(long)]
    history: bool,
}

pub fn run(args: TestArgs, history: &super::history::HistoryArgs) -> anyhow::Result<Outcome> {
    let history = match args.history {
        true => history.open().map_err(|e| anyhow::anyhow!(e))?,
        false => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("workflows")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    for path in &paths {
        let found = testing::test_files(path)
            .with_context(|| format!("{}: cannot list the folder", path.display()))?;
        if found.is_empty() {
            anyhow::bail!("{}: no *.test.json files here", path.display());
        }
        files.extend(found);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut results: Vec<CaseResult> = Vec::new();
    let mut broken: Vec<(String, String)> = Vec::new();
    // Files one after another, the cases of each concurrently.
    for file in &files {
        match runtime.block_on(testing::run_file_recorded(file, history.as_ref())) {
            Ok(cases) => {
                for case in &cases {
                    print_case(case);
                }
                results.extend(cases);
            }
            Err(e) => {
                eprintln!("✘ {}\n    error: {e}", file.display());
                broken.push((file.display().to_string(), e.to_string()));
            }
        }
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed + broken.len();
    if let Some(path) = &args.junit {
        let xml = junit(&results, &broken)?;
        flowbench::api::workflows::write_atomically(path, xml.as_bytes())
            .with_context(|| format!("{}: cannot write the JUnit report", path.display()))?;
    }
    if args.json {
        print_json(&results)?;
    }
    eprintln!();
    // The closing line, on standard error so that --json output stays pure.
    let summary = format!("{passed} passed, {failed} failed");
    if args.json {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(if !broken.is_empty() {
        Outcome::Refused
    } else if failed > 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

fn print_case(case: &CaseResult) {
    if case.passed {
        eprintln!("✔ {} › {} ({} ms)", case.file, case.case, case.duration_ms);
    } else {
        eprintln!("✘ {} › {} ({} ms)", case.file, case.case, case.duration_ms);
        for line in &case.failures {
            eprintln!("    {line}");
        }
    }
}

fn junit(results: &[CaseResult], broken: &[(String, String)]) -> anyhow::Result<String> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("flowbench");
    let mut suites: Vec<TestSuite> = Vec::new();
    for r in results {
        if suites.last().is_none_or(|s| s.name.as_str() != r.file) {
            suites.push(TestSuite::new(r.file.clone()));
        }
        let status = if r.passed {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(r.failures.first().cloned().unwrap_or_default());
            s.set_description(r.failures.join("\n"));
            s
        };
        let mut case = TestCase::new(r.case.clone(), status);
        case.set_classname(r.file.clone());
        case.set_time(std::time::Duration::from_millis(r.duration_ms));
        suites.last_mut().expect("pushed above").add_test_case(case);
    }
    for (file, error) in broken {
        let mut suite = TestSuite::new(file.clone());
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
        s.set_message(error.clone());
        suite.add_test_case(TestCase::new("(the test file)", s));
        suites.push(suite);
    }
    report.add_test_suites(suites);
    Ok(report.to_string()?)
}
