//! Loading and saving: byte-stable, lossless, atomic.

mod common;
use common::*;
use flowbench::file;

#[test]
fn examples_round_trip_byte_for_byte() {
    for path in examples() {
        let before = std::fs::read_to_string(&path).unwrap();
        let wf = file::load(&path).unwrap();
        assert_eq!(
            file::to_text(&wf),
            before,
            "{} is not in canonical form",
            path.display()
        );
    }
}

#[test]
fn unknown_and_mistyped_keys_survive_a_save() {
    let text = r#"{
  "flowbench": 1,
  "id": "keep",
  "nodes": [
    {
      "id": "start",
      "type": "trigger.manual",
      "timeoutMs": "soon",
      "ui": {
        "color": "teal"
      }
    }
  ],
  "edges": [],
  "owner": "ops-team"
}
"#;
    let wf = file::parse(text, "keep.flow.json").unwrap();
    assert_eq!(wf.extra["owner"], "ops-team");
    assert_eq!(file::to_text(&wf), text);
}

#[test]
fn sticky_notes_round_trip_byte_for_byte() {
    let text = r#"{
  "flowbench": 1,
  "id": "noted",
  "nodes": [
    {
      "id": "start",
      "type": "trigger.manual",
      "position": {
        "x": 0,
        "y": 0
      }
    }
  ],
  "edges": [],
  "annotations": [
    {
      "id": "note_1",
      "text": "**Why** this runs at night:\n- the CRM is idle",
      "position": {
        "x": -40.5,
        "y": 120
      },
      "size": {
        "width": 240,
        "height": 160
      },
      "color": "blue"
    }
  ]
}
"#;
    let wf = file::parse(text, "noted.flow.json").unwrap();
    assert_eq!(wf.annotations.len(), 1);
    assert_eq!(wf.annotations[0].color.as_deref(), Some("blue"));
    assert!(wf.extra.is_empty());
    assert_eq!(file::to_text(&wf), text);
}

#[test]
fn a_mistyped_sticky_note_is_kept_and_named() {
    let text = r#"{"flowbench": 1, "id": "noted", "nodes": [], "edges": [],
        "annotations": [{"id": "n1", "text": "no size", "position": {"x": 0, "y": 0}}]}"#;
    let wf = file::parse(text, "noted.flow.json").unwrap();
    assert!(wf.annotations.is_empty());
    assert!(
        file::to_text(&wf).contains("no size"),
        "the note is written back"
    );
    let problems = flowbench::validate::validate(&wf);
    let bad = problems
        .iter()
        .find(|d| d.code == flowbench::error::Code::InvalidField)
        .expect("an invalid_field diagnostic");
    assert!(bad.message.contains("\"annotations\""), "{}", bad.message);
    assert!(
        bad.message
            .contains("note #1 does not fit: missing field `size`"),
        "{}",
        bad.message
    );
}

#[test]
fn edge_ids_are_generated_and_kept() {
    let text = r#"{"flowbench": 1, "id": "g", "nodes": [], "edges": [
        {"from": "a", "to": "b"}, {"id": "e1", "from": "b", "to": "c"}, {"from": "c", "to": "d"}]}"#;
    let wf = file::parse(text, "g").unwrap();
    let ids: Vec<&str> = wf.edges.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["e2", "e1", "e3"]);
    let again = file::parse(&file::to_text(&wf), "g").unwrap();
    assert_eq!(again, wf);
}

#[test]
fn save_is_atomic_and_a_failed_save_keeps_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("w.flow.json");
    let original = std::fs::read_to_string(root().join("workflows/lead-intake.flow.json")).unwrap();
    std::fs::write(&target, &original).unwrap();
    let mut wf = file::load(&target).unwrap();
    wf.name = Some("Renamed".into());

    // Block the temporary file's name so that the save fails before the rename.
    let tmp = dir
        .path()
        .join(format!(".w.flow.json.{}.tmp", std::process::id()));
    std::fs::create_dir(&tmp).unwrap();
    let err = file::save(&wf, &target).unwrap_err();
    assert!(
        err.to_string()
            .contains("w.flow.json: cannot save the workflow"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), original);

    std::fs::remove_dir(&tmp).unwrap();
    file::save(&wf, &target).unwrap();
    let saved = file::load(&target).unwrap();
    assert_eq!(saved.name.as_deref(), Some("Renamed"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file left behind: {leftovers:?}"
    );
}

#[test]
fn refusals_have_codes_and_positions() {
    let e = file::parse("{\"a\": }", "x.flow.json").unwrap_err();
    assert_eq!(e.code(), flowbench::error::Code::FileNotJson);
    assert!(
        e.to_string().starts_with("x.flow.json:1:7: not valid JSON"),
        "{e}"
    );
    assert_eq!(
        file::parse("\"text\"", "x").unwrap_err().code(),
        flowbench::error::Code::FileNotObject
    );
    assert_eq!(
        file::parse(r#"{"flowbench": 2}"#, "x").unwrap_err().code(),
        flowbench::error::Code::FileNewerVersion
    );
    // Anything else loads, to be reported by validation.
    assert!(file::parse(r#"{"flowbench": "one", "nodes": 3}"#, "x").is_ok());
}
