//! Workflows from other tools, turned into Flowbench workflows. Today: n8n
//! exports (`n8n`), with a report of everything that could not be mapped.

pub mod n8n;
