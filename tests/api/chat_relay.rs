//! Two server instances on one PostgreSQL database, as behind a load balancer (issue 5, item 6):
//! a message sent through one reaches a client of the other. The relay is `NOTIFY` plus a read
//! from the database, which stays the source of truth; on SQLite there is one instance only.

use std::time::Duration;

use etapolku_tests::chat_client::{self, is};
use etapolku_tests::spawn::{TestServer, spawn_second_instance};

use crate::chat::{chat_course, open, say};
use crate::helpers::TestApp;

/// A test server and a second instance on its database; none on SQLite, which has one instance.
async fn two_instances() -> Option<(TestApp, TestServer)> {
    let app = TestApp::new().await;
    if app.server.pg_database.is_none() {
        eprintln!("NOTE: the relay between instances needs PostgreSQL; this run is on SQLite");
        return None;
    }
    let second = spawn_second_instance(&app.server)
        .await
        .expect("a second instance on the same database");
    Some((app, second))
}

#[tokio::test]
async fn a_message_sent_through_one_instance_reaches_a_client_of_the_other_in_order() {
    let Some((app, second)) = two_instances().await else {
        return;
    };
    let cc = chat_course(&app, "Relay", 1).await;
    let mut on_first = open(&app, &cc.demo.participant).await;
    on_first.join_one(&cc.group, 0).await.expect("join, first");
    let other = &cc.others[0];
    let mut on_second = chat_client::connect(&other.client, &second.address, &other.token)
        .await
        .expect("a socket on the second instance");
    on_second
        .join_one(&cc.group, 0)
        .await
        .expect("join, second");

    let mut acked = Vec::new();
    for i in 1..=5 {
        let ack = say(&mut on_first, &cc.group, &format!("Viesti {i}")).await;
        acked.push(ack["seq"].as_i64().expect("seq"));
    }
    let mut seen = Vec::new();
    while seen.len() < acked.len() {
        let f = on_second
            .wait_for_within(Duration::from_secs(10), |f| {
                is(f, "message") && f["room"] == cc.group.as_str()
            })
            .await
            .unwrap_or_else(|e| panic!("the second instance relayed {seen:?} of {acked:?}: {e:#}"));
        seen.push(f["seq"].as_i64().expect("seq"));
    }
    assert_eq!(seen, acked, "every message once, in seq order");

    // And the other way round.
    let ack = say(&mut on_second, &cc.group, "Vastaus toiselta").await;
    let got = on_first
        .wait_for_within(Duration::from_secs(10), |f| {
            is(f, "message") && f["body"] == "Vastaus toiselta"
        })
        .await
        .expect("the first instance relays the answer");
    assert_eq!(got["seq"], ack["seq"]);
    drop((on_first, on_second, second));
}

#[tokio::test]
async fn signing_out_through_one_instance_closes_the_socket_on_the_other() {
    let Some((app, second)) = two_instances().await else {
        return;
    };
    let cc = chat_course(&app, "Leave", 0).await;
    let p = &cc.demo.participant;
    let mut on_second = chat_client::connect(&p.client, &second.address, &p.token)
        .await
        .expect("a socket on the second instance");
    on_second.join_one(&cc.group, 0).await.expect("join");

    let res = p
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&p.token)
        .send()
        .await
        .expect("logout on the first instance");
    assert!(res.status().is_success());

    let (code, _) = on_second
        .wait_close(chat_client::WAIT)
        .await
        .expect("the second instance closes her socket");
    assert_eq!(code, Some(1008));
}
