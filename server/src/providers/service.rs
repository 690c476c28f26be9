//! Providers and sites: creating and listing them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::entity::{provider, site};
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderView {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SiteView {
    pub id: Uuid,
    pub name: String,
    pub municipality: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProvider {
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSite {
    pub name: String,
    pub municipality: String,
}

fn text_field(field: &str, raw: &str, max: usize) -> AppResult<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::field(field, "required", "this cannot be empty"));
    }
    if t.chars().count() > max {
        return Err(AppError::field(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    Ok(t.to_owned())
}

pub async fn find_by_name<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> AppResult<Option<provider::Model>> {
    Ok(provider::Entity::find()
        .filter(provider::Column::Name.eq(name.trim()))
        .one(db)
        .await?)
}

pub async fn create_provider<C: ConnectionTrait>(
    db: &C,
    req: CreateProvider,
    now: DateTime<Utc>,
) -> AppResult<provider::Model> {
    let name = text_field("name", &req.name, 200)?;
    if find_by_name(db, &name).await?.is_some() {
        return Err(AppError::conflict(
            "name_taken",
            "a provider with this name exists",
        ));
    }
    Ok(provider::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        name: Set(name),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn list_providers<C: ConnectionTrait>(db: &C) -> AppResult<Vec<ProviderView>> {
    Ok(provider::Entity::find()
        .order_by_asc(provider::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| ProviderView {
            id: p.uuid,
            name: p.name,
        })
        .collect())
}

pub async fn create_site<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
    req: CreateSite,
    now: DateTime<Utc>,
) -> AppResult<site::Model> {
    let name = text_field("name", &req.name, 200)?;
    let municipality = text_field("municipality", &req.municipality, 100)?;
    let exists = site::Entity::find()
        .filter(site::Column::ProviderId.eq(provider_id))
        .filter(site::Column::Name.eq(name.as_str()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Err(AppError::conflict(
            "name_taken",
            "your organisation already has a site with this name",
        ));
    }
    Ok(site::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        provider_id: Set(provider_id),
        name: Set(name),
        municipality: Set(municipality),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn sites_of<C: ConnectionTrait>(db: &C, provider_id: i32) -> AppResult<Vec<SiteView>> {
    Ok(site::Entity::find()
        .filter(site::Column::ProviderId.eq(provider_id))
        .order_by_asc(site::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SiteView {
            id: s.uuid,
            name: s.name,
            municipality: s.municipality,
        })
        .collect())
}
