//! `spec/edge/enums.yaml` served by its generated server and called by its generated client:
//! string enums keep their exact spellings (`Done` and `done` too), integer enums travel as
//! integers, and a nullable choice that may be blank keeps absent, `null` and a value apart.

mod common;

use common::{Log, get_json, json_of, listen, raw, send_json, sorted};
use oagen_edge_goldens::enums::client::{Client, ErrorKind};
use oagen_edge_goldens::enums::models::{KindEnum, LevelEnum, Membership, RoleEnum, Status, Task};
use oagen_edge_goldens::enums::operations as ops;
use oagen_edge_goldens::enums::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records each task and answers with it; a task of level 6 is not implemented.
#[derive(Clone, Default)]
struct Tasks(Log<Task>);

fn memberships() -> Vec<Membership> {
    vec![
        Membership::new(1, RoleEnum::Member),
        Membership::new(2, RoleEnum::Administrator),
        Membership::new(3, RoleEnum::Owner),
        Membership::new(4, RoleEnum::Unknown(99)),
    ]
}

impl server::Api for Tasks {
    async fn list_memberships(&self) -> Result<ops::ListMembershipsResponse, Problem> {
        Ok(ops::ListMembershipsResponse::Ok(memberships()))
    }

    async fn create_task(&self, body: Task) -> Result<ops::CreateTaskResponse, Problem> {
        self.0.push(body.clone());
        if body.level == LevelEnum::Value6 {
            return Err(Problem::not_implemented());
        }
        Ok(ops::CreateTaskResponse::Created(body))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<Task>) {
    let api = Tasks::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

#[tokio::test]
async fn every_listed_value_round_trips() {
    let (_, client, log) = serve().await;
    let statuses = [Status::InProgress, Status::Value2nd, Status::Done, Status::Done2];
    let levels = [LevelEnum::Value0, LevelEnum::Value3, LevelEnum::Value0, LevelEnum::Value3];
    let kinds = [None, Some(None), Some(Some(KindEnum::Bug)), Some(Some(KindEnum::Feature))];
    for ((status, level), kind) in statuses.into_iter().zip(levels).zip(kinds) {
        let task = Task { kind, ..Task::new(level, status) };
        let answer = client.create_task(&task).await.expect("201");
        assert_eq!(log.take(), std::slice::from_ref(&task), "what the handler received");
        assert_eq!(answer, task, "what the client decoded");
    }
}

#[tokio::test]
async fn a_blank_choice_reaches_the_handler_as_no_choice() {
    let (base, _, log) = serve().await;
    let url = format!("{base}/tasks");
    let response = send_json(reqwest::Method::POST, url, &json!({"status": "done", "level": 3, "kind": ""})).await;
    assert_eq!(response.status(), 201);
    // Written back as `null`: the blank is no choice, not a value.
    let body = json_of(response).await;
    assert_eq!(body, json!({"status": "done", "level": 3, "kind": null}));
    assert_eq!(log.take(), [Task { kind: Some(None), ..Task::new(LevelEnum::Value3, Status::Done2) }]);
}

#[tokio::test]
async fn integer_enums_are_integers_on_the_wire() {
    let (base, client, _) = serve().await;
    assert_eq!(client.list_memberships().await.expect("200"), memberships());
    let wire: serde_json::Value = get_json(format!("{base}/memberships")).await;
    let expected = json!([{"id": 1, "role": 1}, {"id": 2, "role": 8}, {"id": 3, "role": 15}, {"id": 4, "role": 99}]);
    assert_eq!(wire, expected);
}

#[tokio::test]
async fn the_server_accepts_only_the_listed_values() {
    let (base, client, log) = serve().await;
    let url = || format!("{base}/tasks");
    let body = json!({"status": "DONE", "level": 4, "kind": "task"}).to_string();
    assert_eq!(
        raw(reqwest::Method::POST, url(), &body).await,
        (400, sorted(&["/body/status", "/body/level", "/body/kind"]))
    );
    let body = json!({"status": "done", "level": "3"}).to_string();
    assert_eq!(raw(reqwest::Method::POST, url(), &body).await, (400, sorted(&["/body/level"])));
    assert_eq!(raw(reqwest::Method::POST, url(), "{}").await, (400, sorted(&["/body/level", "/body/status"])));
    assert!(log.take().is_empty(), "no handler was reached");

    // The client keeps values the document does not list and sends them; this server refuses.
    let task = Task::new(LevelEnum::Unknown(1), Status::Unknown("paused".to_owned()));
    let error = client.create_task(&task).await.expect_err("not listed");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 400), "{error:?}");
    let error = client.create_task(&Task::new(LevelEnum::Value6, Status::Done)).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
