//! Group commit of chat sends (`server/src/chat/group_commit.rs`): a group stored in one
//! transaction answers each send as storing it alone would, and a group that fails as a whole is
//! stored one by one. Run against the started server's database on SQLite and PostgreSQL.

use std::time::Duration;

use etapolku_server::accounts::model::Role;
use etapolku_server::chat::group_commit::{SendRequest, store_all};
use etapolku_server::chat::model::{Body, ChatUser};
use etapolku_server::chat::store::{ChatError, Sent};
use etapolku_server::clock::Clock;
use etapolku_server::entity::{chat_message, chat_room};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;

use crate::chat::{chat_course, insert_mute, joined, room_row, say, user_row};
use crate::helpers::{Session, TestApp};

async fn chat_user(app: &TestApp, s: &Session) -> ChatUser {
    let u = user_row(app, &s.id).await;
    ChatUser {
        id: u.id,
        uuid: u.uuid,
        role: Role::parse(&u.role).expect("a role"),
    }
}

fn request(
    app: &TestApp,
    user: &ChatUser,
    room: &chat_room::Model,
    id: Uuid,
    body: &str,
) -> SendRequest {
    SendRequest {
        user: user.clone(),
        room_id: room.id,
        client_msg_id: id,
        body: Body::parse(body).expect("a valid body"),
        now: app.server.clock.now(),
    }
}

fn stored(result: &Result<Sent, ChatError>) -> (&'static str, &chat_message::Model) {
    match result {
        Ok(Sent::New(row)) => ("new", row),
        Ok(Sent::Duplicate(row)) => ("duplicate", row),
        Err(e) => panic!("expected a stored row, got {e:?}"),
    }
}

fn refused(result: &Result<Sent, ChatError>) -> &'static str {
    match result {
        Err(e) => e.code(),
        Ok(s) => panic!("expected a refusal, got {s:?}"),
    }
}

#[tokio::test]
async fn a_group_answers_each_send_as_alone_and_gives_seqs_without_gaps() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Ryhmä", 2).await;
    // Aino's earlier message (seq 1), sent over a socket: its client id comes again below.
    let (mut aino_socket, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let earlier = say(&mut aino_socket, &cc.group, "Huomenta").await;
    let earlier_id = Uuid::parse_str(earlier["client_msg_id"].as_str().expect("id")).expect("uuid");
    insert_mute(
        &app,
        &cc.demo.course,
        &cc.others[0].id,
        &cc.demo.guide.id,
        30,
    )
    .await;

    let aino = chat_user(&app, &cc.demo.participant).await;
    let guide = chat_user(&app, &cc.demo.guide).await;
    let muted = chat_user(&app, &cc.others[0]).await;
    let other = chat_user(&app, &cc.others[1]).await;
    let group = room_row(&app, &cc.group).await;
    let team = room_row(&app, &cc.team).await;
    let private = room_row(&app, &cc.private).await;
    let (a, b, c, d, e) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    let requests = vec![
        request(&app, &aino, &group, a, "Yksi"),
        request(&app, &muted, &group, b, "Minä olen hiljennetty"),
        // The same send twice in one group (the outbox resending on a second socket).
        request(&app, &aino, &group, a, "Yksi"),
        request(&app, &guide, &private, c, "Hei Aino, soitan huomenna"),
        // Another participant in Aino's private thread, Aino in the team room.
        request(&app, &other, &private, d, "Saanko minäkin?"),
        request(&app, &aino, &team, e, "Saanko minäkin?"),
        request(&app, &aino, &group, earlier_id, "Huomenta"),
        request(&app, &other, &group, d, "Kaksi"),
    ];
    let results = store_all(&app.server.db, &requests).await;
    assert_eq!(results.len(), requests.len());

    let (kind, first) = stored(&results[0]);
    assert_eq!((kind, first.seq, first.body.as_str()), ("new", 2, "Yksi"));
    assert_eq!(refused(&results[1]), "muted");
    let (kind, again) = stored(&results[2]);
    assert_eq!(
        (kind, again),
        ("duplicate", first),
        "the second copy answers the first row"
    );
    let (kind, to_aino) = stored(&results[3]);
    assert_eq!((kind, to_aino.room_id, to_aino.seq), ("new", private.id, 1));
    assert_eq!(refused(&results[4]), "not_member");
    assert_eq!(refused(&results[5]), "not_member");
    let (kind, old) = stored(&results[6]);
    assert_eq!((kind, old.seq), ("duplicate", 1), "the earlier send's row");
    let (kind, second) = stored(&results[7]);
    assert_eq!(
        (kind, second.seq, second.body.as_str()),
        ("new", 3, "Kaksi")
    );

    // What the database holds: the group room 1, 2, 3 (the refusal took no seq), the private
    // thread 1, and each room's last_seq where its log ends.
    let rows = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.is_in([group.id, private.id, team.id]))
        .all(&app.server.db)
        .await
        .expect("rows");
    let mut seqs: Vec<(i32, i64)> = rows.iter().map(|r| (r.room_id, r.seq)).collect();
    seqs.sort_unstable();
    let mut want = vec![(group.id, 1), (group.id, 2), (group.id, 3), (private.id, 1)];
    want.sort_unstable();
    assert_eq!(seqs, want);
    for (r, last) in [(&cc.group, 3), (&cc.private, 1), (&cc.team, 0)] {
        assert_eq!(room_row(&app, r).await.last_seq, last, "room {r}");
    }
    // The answers are the stored rows.
    for answer in [first, to_aino, second] {
        let row = rows.iter().find(|r| r.id == answer.id).expect("stored");
        assert_eq!(row, answer);
    }
}

#[tokio::test]
async fn a_group_that_fails_as_a_whole_is_stored_one_by_one() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Kilpa", 1).await;
    let aino = chat_user(&app, &cc.demo.participant).await;
    let other = chat_user(&app, &cc.others[0]).await;
    let group = room_row(&app, &cc.group).await;
    let (raced, plain) = (Uuid::new_v4(), Uuid::new_v4());

    // Another instance is storing Aino's message with the same client id and has not committed
    // yet. On PostgreSQL the group's insert waits on that row and then breaks the unique index:
    // the whole group rolls back and each send is stored alone. (On SQLite the other writer
    // holds the write lock, so the group starts after it and finds the row.)
    let db = app.server.db.clone();
    let txn = db.begin().await.expect("begin");
    let theirs = chat_message::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        room_id: Set(group.id),
        seq: Set(1000),
        kind: Set("message".into()),
        sender_id: Set(aino.id),
        client_msg_id: Set(Some(raced)),
        body: Set("Lähetetty toisen palvelimen kautta".into()),
        created_at: Set(app.server.clock.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .expect("the other instance's row");
    let requests = vec![
        request(
            &app,
            &aino,
            &group,
            raced,
            "Lähetetty toisen palvelimen kautta",
        ),
        request(&app, &other, &group, plain, "Minun viestini"),
    ];
    let group_db = db.clone();
    let storing = tokio::spawn(async move { store_all(&group_db, &requests).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !storing.is_finished(),
        "the group waits for the other writer"
    );
    txn.commit().await.expect("the other instance commits");
    let results = storing.await.expect("the group's task");

    let (kind, row) = stored(&results[0]);
    assert_eq!((kind, row.id, row.seq), ("duplicate", theirs.id, 1000));
    let (kind, row) = stored(&results[1]);
    assert_eq!(
        (kind, row.seq),
        ("new", 1),
        "the other send still gets the next seq"
    );
    assert_eq!(room_row(&app, &cc.group).await.last_seq, 1);
    assert_eq!(app.count("chat_messages").await, 2);
}
