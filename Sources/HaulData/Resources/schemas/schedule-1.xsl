<?xml version="1.0" encoding="UTF-8"?>
<!--
  Printable schedule of assets and confiscation figures, from a Haul case file (urn:haul:ns:case:1).
  XSLT 1.0 numbers are doubles, so this stylesheet does no arithmetic: every amount and total is
  computed by Haul and written into the case file; the stylesheet only lays out text.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:h="urn:haul:ns:case:1"
                exclude-result-prefixes="h">

  <xsl:include href="print-common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <!-- The day the schedule was prepared (its confiscation figures are worked out as of it). -->
  <xsl:param name="date"/>

  <xsl:template match="/h:case">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8"/>
        <title>Schedule of assets — <xsl:value-of select="h:header/h:reference"/></title>
        <style>
          <xsl:call-template name="paged-media-style"/>
          body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; color: #111; max-width: 190mm; margin: 2em auto; line-height: 1.35; }
          h1 { font-size: 16pt; margin: 0 0 0.2em; }
          h2 { font-size: 12.5pt; margin: 1.6em 0 0.4em; border-bottom: 1px solid #444; padding-bottom: 0.15em; }
          .meta { color: #333; margin: 0.1em 0; }
          .illustrative { border: 1px solid #a00; color: #a00; padding: 0.3em 0.6em; margin: 0.8em 0; }
          table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
          tr { page-break-inside: avoid; }
          th, td { border-bottom: 1px solid #bbb; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }
          th { background: #eee; font-weight: bold; font-size: 9.5pt; }
          td.amount, th.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
          td.id { white-space: nowrap; }
          td.again { color: #888; font-size: 8.5pt; }
          td.basis { font-size: 8.5pt; color: #333; width: 24%; }
          tr.group td { font-weight: bold; background: #f6f6f6; }
          div.confiscation { break-inside: avoid; page-break-inside: avoid; }
          tr.figure td { border-bottom: none; padding-top: 0.45em; }
          tr.detail td { font-size: 8.3pt; color: #333; padding-top: 0; overflow-wrap: anywhere; }
          .warning { font-size: 8.5pt; color: #8a4b00; }
          .upper { font-style: italic; color: #555; }
          tr.total td { font-weight: bold; border-top: 2px solid #444; }
          .note { font-size: 8.5pt; color: #333; }
          h2.annex { break-before: page; page-break-before: always; }
          h2 { break-after: avoid; page-break-after: avoid; }
          footer { margin-top: 2em; font-size: 8pt; color: #555; border-top: 1px solid #bbb; padding-top: 0.4em; }
          @media print { body { margin: 0; max-width: none; } th { background: #eee !important; -webkit-print-color-adjust: exact; }
            /* On paper the title runs at the top of every page instead. */
            .running { height: 0; margin: 0; overflow: hidden; } }
        </style>
      </head>
      <body>
        <p class="running"><xsl:call-template name="running-title"/><xsl:text> — Schedule of assets</xsl:text></p>
        <xsl:call-template name="title-of-proceedings"/>
        <h1>Schedule of assets</h1>
        <p class="meta"><strong>Case</strong><xsl:text> </xsl:text><xsl:value-of select="h:header/h:reference"/>
          <xsl:if test="h:header/h:operationName"> — <xsl:value-of select="h:header/h:operationName"/></xsl:if>
          (<xsl:value-of select="h:header/h:jurisdiction"/>), opened <xsl:call-template name="long-date"><xsl:with-param name="date" select="h:header/h:openedOn"/></xsl:call-template></p>
        <xsl:if test="$date != ''"><p class="meta"><strong>Prepared on</strong><xsl:text> </xsl:text><xsl:call-template name="long-date"><xsl:with-param name="date" select="$date"/></xsl:call-template></p></xsl:if>
        <p class="meta"><strong>Agencies</strong><xsl:text> </xsl:text>
          <xsl:for-each select="h:header/h:agencies/h:agency">
            <xsl:value-of select="."/> (<xsl:value-of select="@role"/>)<xsl:if test="position() != last()">; </xsl:if>
          </xsl:for-each>
        </p>
        <xsl:if test="h:header/h:illustrative = 'true'">
          <p class="illustrative">Illustrative case: its details and some figures are made up for demonstration and are not evidence.</p>
        </xsl:if>
        <xsl:if test="h:seizures/h:seizure/h:items/h:item/h:valuations/h:valuation/h:source[@confidence = 'illustrative']">
          <p class="illustrative">Figures marked [I] rest on illustrative price rows: they show the method and are not evidence of value.</p>
        </xsl:if>

        <h2>Summary of assets</h2>
        <xsl:choose>
          <xsl:when test="h:seizures/h:seizure/h:items/h:item">
            <p class="note">One line per item: its main figure (the first valuation that is not only an upper bound). Every figure with its sources and warnings is in the annex.</p>
            <table class="summary">
              <thead><tr><th>Item</th><th>Exhibit</th><th>Description</th><th>Basis</th><th class="amount">Central value</th></tr></thead>
              <tbody>
                <xsl:for-each select="h:seizures/h:seizure/h:items/h:item">
                  <xsl:variable name="main" select="h:valuations/h:valuation[not(@upperBound = 'true')][1]"/>
                  <tr>
                    <td class="id"><xsl:value-of select="@id"/></td>
                    <td class="id"><xsl:value-of select="@exhibit"/></td>
                    <td><xsl:value-of select="h:description"/></td>
                    <xsl:choose>
                      <xsl:when test="$main">
                        <td><xsl:value-of select="$main/@basis"/><xsl:if test="$main/h:source[@confidence = 'illustrative']"> [I]</xsl:if></td>
                        <td class="amount"><xsl:apply-templates select="$main/h:central" mode="money"/></td>
                      </xsl:when>
                      <xsl:when test="h:nonValued"><td colspan="2">not valued: <xsl:value-of select="h:nonValued/@kind"/> (tracked, never priced)</td></xsl:when>
                      <xsl:otherwise><td colspan="2">no valuation recorded</td></xsl:otherwise>
                    </xsl:choose>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:when>
          <!-- A case file may hold no seizure yet (schema 1.6): the schedule says so rather than show an empty table. -->
          <xsl:otherwise><p>Nothing has been seized in this case: there are no items to list or value.</p></xsl:otherwise>
        </xsl:choose>

        <xsl:if test="h:totals">
          <h2>Totals by kind and basis</h2>
          <p class="note">Sums of every valuation of the items, on each basis, as rounded in the annex (the summary shows one figure an item); upper bounds left out.</p>
          <table>
            <thead><tr><th>Kind</th><th>Basis</th><th class="amount">Items</th><th class="amount">Low</th><th class="amount">Central</th><th class="amount">High</th></tr></thead>
            <tbody>
              <xsl:for-each select="h:totals/h:total">
                <tr>
                  <td><xsl:value-of select="@kind"/></td>
                  <!-- [I] where a figure summed here rests on an illustrative price row. -->
                  <xsl:variable name="kind" select="@kind"/>
                  <xsl:variable name="basis" select="@basis"/>
                  <td><xsl:value-of select="@basis"/><xsl:if test="/h:case/h:seizures/h:seizure/h:items/h:item[*[local-name() = $kind]]/h:valuations/h:valuation[@basis = $basis][not(@upperBound = 'true')]/h:source[@confidence = 'illustrative']"> [I]</xsl:if></td>
                  <td class="amount"><xsl:value-of select="@items"/></td>
                  <td class="amount"><xsl:apply-templates select="h:low" mode="money"/></td>
                  <td class="amount"><xsl:apply-templates select="h:central" mode="money"/></td>
                  <td class="amount"><xsl:apply-templates select="h:high" mode="money"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:if>

        <xsl:if test="h:confiscation">
          <!-- Kept on one page with its heading where it fits. -->
          <div class="confiscation">
          <h2>Confiscation (Proceeds of Crime Act 2002, Part 2)</h2>
          <xsl:if test="count(h:proceedings/h:defendant) &gt; 1">
            <p class="note">These are the case's figures as recorded. The court determines the benefit and the available amount for each defendant separately.</p>
          </xsl:if>
          <p class="meta">Decision date <xsl:call-template name="long-date"><xsl:with-param name="date" select="h:confiscation/h:decidedOn"/></xsl:call-template>.
            Benefit <strong><xsl:apply-templates select="h:confiscation/h:benefit" mode="money"/></strong>;
            available amount <strong><xsl:apply-templates select="h:confiscation/h:availableAmount" mode="money"/></strong>;
            recoverable amount <strong><xsl:apply-templates select="h:confiscation/h:recoverableAmount" mode="money"/></strong>.</p>
          <table>
            <thead><tr><th>Description</th><th class="amount">Amount</th><th>Basis</th></tr></thead>
            <tbody>
              <!-- Section by section, in the order of the Act, each under its heading (the calculator
                   writes its flags among the other lines). -->
              <xsl:call-template name="section"><xsl:with-param name="section" select="'benefit'"/></xsl:call-template>
              <xsl:call-template name="section"><xsl:with-param name="section" select="'available'"/></xsl:call-template>
              <xsl:call-template name="section"><xsl:with-param name="section" select="'recoverable'"/></xsl:call-template>
              <xsl:call-template name="section"><xsl:with-param name="section" select="'order'"/></xsl:call-template>
              <xsl:call-template name="section"><xsl:with-param name="section" select="'payment'"/></xsl:call-template>
              <xsl:call-template name="section"><xsl:with-param name="section" select="'distribution'"/></xsl:call-template>
              <xsl:call-template name="section"><xsl:with-param name="section" select="'flag'"/></xsl:call-template>
            </tbody>
          </table>
          </div>
        </xsl:if>

        <xsl:if test="h:seizures/h:seizure/h:items/h:item">
          <h2 class="annex">Annex: every valuation with its sources and warnings</h2>
          <table class="assets">
            <thead>
              <tr><th>Item</th><th>Exhibit</th><th>Description</th><th>Basis</th><th class="amount">Low</th><th class="amount">Central</th><th class="amount">High</th></tr>
            </thead>
              <xsl:for-each select="h:seizures/h:seizure/h:items/h:item">
                <xsl:variable name="item" select="."/>
                <xsl:choose>
                  <xsl:when test="h:valuations/h:valuation">
                    <xsl:for-each select="h:valuations/h:valuation">
                      <!-- A figure and its sources on one page. -->
                      <tbody class="keep">
                      <tr class="figure">
                        <xsl:if test="@upperBound = 'true'"><xsl:attribute name="class">figure upper</xsl:attribute></xsl:if>
                        <!-- Each figure names its item (the later ones quietly): a page may start with any of them. -->
                        <td class="id"><xsl:if test="position() != 1"><xsl:attribute name="class">id again</xsl:attribute></xsl:if><xsl:value-of select="$item/@id"/></td>
                        <td class="id"><xsl:if test="position() != 1"><xsl:attribute name="class">id again</xsl:attribute></xsl:if><xsl:value-of select="$item/@exhibit"/></td>
                        <td><xsl:if test="position() = 1"><xsl:value-of select="$item/h:description"/></xsl:if></td>
                        <td><xsl:value-of select="@basis"/><xsl:if test="@upperBound = 'true'"> (upper bound only)</xsl:if><xsl:if test="h:source[@confidence = 'illustrative']"> [I]</xsl:if></td>
                        <td class="amount"><xsl:apply-templates select="h:low" mode="money"/></td>
                        <td class="amount"><strong><xsl:apply-templates select="h:central" mode="money"/></strong></td>
                        <td class="amount"><xsl:apply-templates select="h:high" mode="money"/></td>
                      </tr>
                      <tr class="detail">
                        <td colspan="2"></td>
                        <td colspan="5">
                          <xsl:for-each select="h:source">
                            <div>Source: <xsl:value-of select="."/> [<xsl:value-of select="@confidence"/>, <xsl:value-of select="@effectiveFrom"/>; <xsl:value-of select="@table"/><xsl:if test="@line">:<xsl:value-of select="@line"/></xsl:if>]</div>
                          </xsl:for-each>
                          <xsl:for-each select="h:exchangeRate">
                            <div>Rate: 1 <xsl:value-of select="@from"/> = <xsl:value-of select="."/><xsl:text> </xsl:text><xsl:value-of select="@to"/>, <xsl:value-of select="@source"/>, <xsl:value-of select="@date"/><xsl:if test="@derived = 'true'"> (derived)</xsl:if></div>
                          </xsl:for-each>
                          <xsl:for-each select="h:warning">
                            <div class="warning">! <xsl:value-of select="."/></div>
                          </xsl:for-each>
                        </td>
                      </tr>
                      </tbody>
                    </xsl:for-each>
                  </xsl:when>
                  <xsl:otherwise>
                    <tbody class="keep">
                    <tr class="figure">
                      <td class="id"><xsl:value-of select="@id"/></td>
                      <td class="id"><xsl:value-of select="@exhibit"/></td>
                      <td><xsl:value-of select="h:description"/></td>
                      <td colspan="4"><xsl:choose>
                        <xsl:when test="h:nonValued">not valued: <xsl:value-of select="h:nonValued/@kind"/> (tracked, never priced)</xsl:when>
                        <xsl:otherwise>no valuation recorded</xsl:otherwise>
                      </xsl:choose></td>
                    </tr>
                    </tbody>
                  </xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
          </table>
        </xsl:if>

        <footer>
          Generated from a Haul case file (schema <xsl:value-of select="namespace-uri()"/>, version <xsl:value-of select="@schemaVersion"/>) by the stylesheet schedule-1.xsl.
          <xsl:if test="h:history/@chainHead"> Event chain head <xsl:value-of select="h:history/@chainHead"/>.</xsl:if>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- One section of the confiscation figures: its heading row, then its lines. -->
  <xsl:template name="section">
    <xsl:param name="section"/>
    <xsl:variable name="lines" select="/h:case/h:confiscation/h:line[@section = $section]"/>
    <xsl:if test="$lines">
      <tr class="group"><td colspan="3"><xsl:call-template name="section-name"><xsl:with-param name="section" select="$section"/></xsl:call-template></td></tr>
      <xsl:for-each select="$lines">
        <tr>
          <td><xsl:value-of select="h:description"/><xsl:if test="h:note"><div class="note"><xsl:value-of select="h:note"/></div></xsl:if></td>
          <td class="amount"><xsl:apply-templates select="h:amount" mode="money"/></td>
          <td class="basis"><xsl:value-of select="@basis"/></td>
        </tr>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- The name of a section of the confiscation figures, as the statement heads them. -->
  <xsl:template name="section-name">
    <xsl:param name="section"/>
    <xsl:choose>
      <xsl:when test="$section = 'benefit'">The benefit</xsl:when>
      <xsl:when test="$section = 'available'">The available amount</xsl:when>
      <xsl:when test="$section = 'recoverable'">The recoverable amount</xsl:when>
      <xsl:when test="$section = 'order'">The order</xsl:when>
      <xsl:when test="$section = 'payment'">Payments</xsl:when>
      <xsl:when test="$section = 'distribution'">Distribution of receipts</xsl:when>
      <xsl:when test="$section = 'flag'">Matters for the court's attention</xsl:when>
      <xsl:otherwise><xsl:value-of select="$section"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
